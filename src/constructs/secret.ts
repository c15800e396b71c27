import { SynthError } from "../errors";
import { ENV_NAME } from "../payload/secrets";
import type { EnvSecret } from "../payload/types";

/**
 * Secrets in payloads. The value is read from the environment of the process that applies (the
 * CLI a provisioner runs), just before the call: it never enters a synthesized file, Terraform
 * state, a plan or a log.
 */
export class Secret {
  /**
   * A placeholder for the value of the environment variable `name` at apply time.
   * Usable wherever a payload takes free text (`password`, `clientSecret`, ...).
   */
  static fromEnv(name: string): EnvSecret {
    if (!ENV_NAME.test(name)) {
      throw new SynthError(
        `Secret.fromEnv: "${name}" is not an environment variable name (letters, digits and _, not starting with a digit)`,
      );
    }
    return { $env: name };
  }

  private constructor() {}
}
