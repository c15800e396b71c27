/** Argument parsing on `node:util.parseArgs`, turning its errors into usage errors. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "../errors";

type Options = NonNullable<ParseArgsConfig["options"]>;
type Config<O extends Options> = {
  args: string[];
  options: O & { help: { type: "boolean"; short: "h" } };
  allowPositionals: boolean;
  strict: true;
};
export type Parsed<O extends Options> = ReturnType<typeof parseArgs<Config<O>>>;

export function parse<O extends Options>(
  command: string,
  args: string[],
  options: O,
  allowPositionals = false,
): Parsed<O> {
  try {
    return parseArgs<Config<O>>({
      args,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(
      `${command}: ${(error as Error).message} (see immuta-v2 ${command} --help)`,
    );
  }
}

/** A whole number from a flag, or a usage error naming the flag. */
export function integerFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value.trim())) {
    throw new UsageError(`--${name} must be a whole number (got "${value}")`);
  }
  return Number(value);
}
