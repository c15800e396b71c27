/**
 * What `plan` and `drift` share: their formats, their exit codes (like `terraform plan
 * -detailed-exitcode`: 0 no change, 2 changes, 1 error), and their error handling.
 */
import { UsageError } from "../errors";
import { renderMarkdown } from "../review/render-markdown";
import { KeyRefusedError } from "../review/review";
import { renderText } from "../review/render-text";
import { hasChanges, hasErrors, type Report } from "../review/report";
import { DEFAULT_API_KEY_ENV } from "./connection";
import type { Io } from "./io";
import { runSafely, type Secrets } from "./redaction";

export type Format = "text" | "markdown" | "json";

/** `--format`, or `--json` (as every command that prints results takes it). */
export function readFormat(value: string | undefined, json?: boolean): Format {
  if (json && value !== undefined && value !== "json") {
    throw new UsageError(`--json and --format ${value} disagree; give one of them`);
  }
  const format = json ? "json" : (value ?? "text");
  if (format !== "text" && format !== "markdown" && format !== "json") {
    throw new UsageError(`--format must be text, markdown or json (got "${format}")`);
  }
  return format;
}

export function render(report: Report, format: Format, io: Io, all: boolean): string {
  if (format === "markdown") return renderMarkdown(report);
  if (format === "json") return `${JSON.stringify(report, null, 2)}\n`;
  return renderText(report, io.stdout, io.env, all);
}

/** Exit code of a review: 1 on any error, 2 when something would change, 0 otherwise. */
export function reviewExitCode(report: Report): number {
  if (hasErrors(report)) return 1;
  return hasChanges(report) ? 2 : 0;
}

/** Runs a review command: 2 means "changes" there, so every error, usage errors too, exits 1. */
export function runReview(
  io: Io,
  body: (out: Io, secrets: Secrets) => Promise<number>,
): Promise<number> {
  return runSafely(io, async (out, secrets) => {
    try {
      return await body(out, secrets);
    } catch (error) {
      if (error instanceof KeyRefusedError) {
        const names = error.keyEnvs.length > 0 ? error.keyEnvs : [DEFAULT_API_KEY_ENV];
        const where =
          names.length === 1 && names[0] === DEFAULT_API_KEY_ENV
            ? `the environment variable ${DEFAULT_API_KEY_ENV} (a provider's apiKeyEnv or ` +
              "--api-key-env names another)"
            : `the environment variable ${names.join(" or ")}`;
        out.stderr.write(
          `immuta-v2: ${error.message}\nThe key is read from ${where}: check that it holds a ` +
            "valid key for this tenant.\n",
        );
        return 1;
      }
      if (error instanceof UsageError) {
        out.stderr.write(`immuta-v2: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  });
}
