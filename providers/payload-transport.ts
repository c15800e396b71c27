/**
 * How a payload travels from the configuration to the CLI process that POSTs it.
 *
 * One environment string is limited to 128 KiB on Linux, and all of them together with the
 * arguments to ARG_MAX (2 MiB here). Values from other resources are known only at apply time,
 * so a payload holding one travels through the environment, split into chunks that Terraform
 * computes from the resource's own attribute. A large payload with no such value travels as a
 * file written at synth into the stack directory, named by its content hash.
 */
import { createHash } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Construct, TerraformStack, addCustomSynthesis } from "./cdk";

/** Characters per environment chunk: at most 4 bytes each in UTF-8, so at most 120,000 bytes. */
export const ENV_CHUNK_CHARS = 30_000;

/** A token-free payload larger than this goes as a file rather than through the environment. */
export const FILE_THRESHOLD_BYTES = 64 * 1024;

/** A payload holding apply-time values must fit the environment, with room for the rest of it. */
export const MAX_ENV_PAYLOAD_BYTES = 1024 * 1024;

const FILES_ID = "ImmutaPayloadFiles";
const FILES_DIR = "payloads";

/** The payload files of one stack, written into its directory at synth. */
export class PayloadFiles extends Construct {
  static of(scope: Construct): PayloadFiles {
    const stack = TerraformStack.of(scope);
    return (
      (stack.node.tryFindChild(FILES_ID) as PayloadFiles | undefined) ?? new PayloadFiles(stack)
    );
  }

  private readonly files = new Map<string, string>();

  private constructor(stack: TerraformStack) {
    super(stack, FILES_ID);
    addCustomSynthesis(this, {
      // Where this synthesis writes the stack (cdktf's Testing.fullSynth uses an outdir of its own).
      onSynthesize: (session) => {
        const stackDir = session.manifest.forStack(stack).workingDirectory;
        const dir = join(session.outdir, stackDir, FILES_DIR);
        rmSync(dir, { recursive: true, force: true });
        if (this.files.size === 0) return;
        mkdirSync(dir, { recursive: true });
        for (const [name, text] of this.files) writeFileSync(join(dir, name), text);
      },
    });
  }

  /** Adds a payload's canonical JSON; returns its path relative to the stack directory. */
  add(json: string): string {
    const name = `${createHash("sha256").update(json).digest("hex")}.json`;
    this.files.set(name, json);
    return `${FILES_DIR}/${name}`;
  }
}
