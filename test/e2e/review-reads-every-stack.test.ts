/**
 * The review is never blind: whatever the provider's settings and carrier, `plan` and `drift` see
 * every object the stack manages, and a stack they cannot read is an error (exit 1), never "no
 * objects" (exit 0), since a review gate that passes what it cannot see is worse than none.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GlobalPolicy, Purpose, type ImmutaProviderProps } from "../../src";
import { MASK_PII } from "../payload/fixtures";
import { API_KEY, GovernanceStack } from "./harness";

jest.setTimeout(180_000);

function governance() {
  return (s: Parameters<Parameters<GovernanceStack["synth"]>[0]>[0]) => {
    new Purpose(s, "research", { name: "Research" });
    new GlobalPolicy(s, "mask", MASK_PII);
  };
}

describe("the review reads what the provider layer writes", () => {
  let stack: GovernanceStack;
  afterEach(() => stack.close());

  // Each option, and the environment the deploy then needs instead of the defaults.
  const OPTIONS: [
    string,
    (url: string) => ImmutaProviderProps,
    (url: string) => NodeJS.ProcessEnv,
  ][] = [
    ["url", (url) => ({ url }), () => ({ IMMUTA_URL: undefined })],
    [
      "apiKeyEnv",
      () => ({ apiKeyEnv: "TEAM_IMMUTA_KEY" }),
      () => ({ IMMUTA_API_KEY: undefined, TEAM_IMMUTA_KEY: API_KEY }),
    ],
    ["authHeader", () => ({ authHeader: "raw" }), () => ({})],
    ["timeoutSeconds", () => ({ timeoutSeconds: 30 }), () => ({})],
    ["retries", () => ({ retries: 0 }), () => ({})],
    [
      "all of them",
      (url) => ({
        url,
        apiKeyEnv: "TEAM_IMMUTA_KEY",
        authHeader: "bearer",
        timeoutSeconds: 9,
        retries: 1,
      }),
      () => ({ IMMUTA_URL: undefined, IMMUTA_API_KEY: undefined, TEAM_IMMUTA_KEY: API_KEY }),
    ],
  ];

  it.each(OPTIONS)(
    "terraform_data carrier, provider with %s: plan and drift see every object",
    async (_, props, env) => {
      stack = await GovernanceStack.start();
      stack.reconfigure(props(stack.server.url));
      stack.env = env(stack.server.url);
      stack.synth(governance());

      const before = await stack.cli("plan", "--stack-dir", ".");
      expect(before.code).toBe(2);
      expect(before.stdout).toMatch(/: 2 to create/);

      await stack.apply();
      const plan = await stack.cli("plan", "--stack-dir", ".");
      expect(plan.stdout).toMatch(/: 2 unchanged/);
      expect(plan.code).toBe(0);
      const drift = await stack.cli("drift", "--stack-dir", ".");
      expect(drift.stdout).toMatch(/: 2 unchanged/);
      expect(drift.code).toBe(0);
    },
  );

  it.each(OPTIONS)(
    "null_resource carrier, provider with %s: plan sees every object",
    async (_, props, env) => {
      stack = await GovernanceStack.start();
      stack.reconfigure({ ...props(stack.server.url), carrier: "null_resource" });
      stack.env = env(stack.server.url);
      stack.synth(governance());
      // The hashicorp/null provider cannot be installed here: the configuration alone is read.
      const plan = await stack.cli("plan", "--stack-dir", ".");
      expect(plan.stdout).toMatch(/: 2 to create/);
      expect(plan.code).toBe(2);
    },
  );

  describe("a stack the review cannot read is an error, never 'no objects'", () => {
    it.each(["plan", "drift"])("%s of a stack synthesized by 0.1.0", async (command) => {
      stack = await GovernanceStack.start();
      mkdirSync(stack.dir, { recursive: true });
      const legacy = join(__dirname, "..", "fixtures", "v0.1.0", "cdk.tf.json");
      writeFileSync(join(stack.dir, "cdk.tf.json"), readFileSync(legacy));
      const result = await stack.cli(command, "--stack-dir", ".");
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /runs immuta-v2 but carries no description.*synthesize the stack again/s,
      );
    });

    it("a description of another layout version", async () => {
      stack = await GovernanceStack.start();
      stack.synth(governance());
      const file = join(stack.dir, "cdk.tf.json");
      writeFileSync(file, readFileSync(file, "utf8").replace('"version": 2', '"version": 99'));
      const result = await stack.cli("plan", "--stack-dir", ".");
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/has layout version 99, this tool reads 2/);
    });

    it("a stack without any Immuta resource (the wrong --stack-dir)", async () => {
      stack = await GovernanceStack.start();
      mkdirSync(stack.dir, { recursive: true });
      writeFileSync(
        join(stack.dir, "cdk.tf.json"),
        JSON.stringify({ resource: { terraform_data: { other: { input: "x" } } } }),
      );
      const result = await stack.cli("plan", "--stack-dir", ".");
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/no Immuta resources in this stack/);
    });

    it("cdktf's output folder given for a stack's: the stacks in it are named", async () => {
      stack = await GovernanceStack.start();
      stack.synth(governance());
      // The harness synthesizes the stack into its own folder: put it where cdktf would.
      const out = join(stack.dir, "out");
      mkdirSync(join(out, "stacks", "governance"), { recursive: true });
      mkdirSync(join(out, "stacks", "other"), { recursive: true });
      writeFileSync(join(out, "stacks", "governance", "cdk.tf.json"), "{}");
      writeFileSync(join(out, "manifest.json"), "{}");
      for (const given of ["out", join("out", "stacks")]) {
        const result = await stack.cli("plan", "--stack-dir", given);
        expect(result.code).toBe(1);
        expect(result.stderr).toBe(
          `immuta-v2: ${join(stack.dir, given)} is not a synthesized stack (no cdk.tf.json); ` +
            `--stack-dir names one stack's folder: ${join(stack.dir, out.slice(stack.dir.length + 1), "stacks", "governance")}\n`,
        );
      }
    });
  });
});
