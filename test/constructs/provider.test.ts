import "../setup-cdktf";
import { TerraformStack, Testing } from "cdktf";
import { ImmutaProvider, Purpose, TerraformData } from "../../src";
import { KINDS_IN_ORDER } from "../../src/layout/names";
import {
  addresses,
  synthScope,
  tempOutdir,
  blockOf,
  resourceNamed,
  resourcesOf,
  stepOf,
  synthStack,
} from "../helpers/synth";
import { instanceContext, stepArgv } from "./step-argv";

describe("ImmutaProvider", () => {
  it("puts its connection settings in every step of every resource, and never the API key", () => {
    process.env.IMMUTA_API_KEY = "key-must-not-appear";
    process.env.ACME_KEY = "acme-key-must-not-appear";
    try {
      const { json, config } = synthStack(
        (stack) => {
          new Purpose(stack, "research", { name: "Research" });
        },
        {
          url: "https://acme.immuta.example",
          apiKeyEnv: "ACME_KEY",
          authHeader: "raw",
          timeoutSeconds: 30,
          retries: 2,
        },
      );
      const connection = [
        "--url",
        "https://acme.immuta.example",
        "--api-key-env",
        "ACME_KEY",
        "--auth-header",
        "raw",
        "--timeout",
        "30",
        "--retries",
        "2",
      ];
      const context = instanceContext("Research", { f: "", a: [] });
      const steps = Object.values(resourcesOf(config)).flatMap((r) =>
        (r.provisioner ?? []).map((p) => stepArgv(p["local-exec"], context)),
      );
      expect(steps).toHaveLength(4 * 2 + 1 + 4 * 2); // the blocks' two steps, guard, confirm steps
      for (const argv of steps) expect(argv.slice(3, 3 + connection.length)).toEqual(connection);
      expect(json).not.toContain("key-must-not-appear");
    } finally {
      delete process.env.IMMUTA_API_KEY;
      delete process.env.ACME_KEY;
    }
  });

  it("names its resources after its id, which is public API", () => {
    const { config } = synthStack((stack) => {
      new ImmutaProvider(stack, "prod-eu");
    }, false);
    expect(addresses(config)).toMatchSnapshot();
  });

  it("exposes the block of each kind", () => {
    synthStack((_stack, provider) => {
      for (const kind of KINDS_IN_ORDER) {
        expect(`terraform_data.${provider!.blockOf(kind).friendlyUniqueId}`).toBe(
          `terraform_data.immuta_${kind}`,
        );
      }
      expect(provider!.prefix).toBe("immuta");
    });
  });

  it("is found without being named when it is the stack's only one", () => {
    const synthesized = synthScope((scope) => {
      new ImmutaProvider(scope, "immuta");
      new Purpose(scope, "research", { name: "Research" });
    });
    expect(synthesized).toHaveResourceWithProperties(TerraformData, {
      triggers_replace: ["purpose/Research"],
    });
  });

  it("must exist: an object without one is a clear error naming it", () => {
    expect(() =>
      synthStack((stack) => {
        new Purpose(stack, "research", { name: "Research" });
      }, false),
    ).toThrow(
      'governance/research: no ImmutaProvider in stack "governance": add one before the objects, e.g. new ImmutaProvider(stack, "immuta", { url: "https://acme.immuta.example" })',
    );
  });

  it("must be chosen when a stack has several", () => {
    expect(() =>
      synthStack((stack) => {
        new ImmutaProvider(stack, "eu");
        new Purpose(stack, "research", { name: "Research" });
      }),
    ).toThrow(
      'governance/research: stack "governance" has 2 ImmutaProviders (governance/immuta, governance/eu); pass `provider` to choose one',
    );
  });

  it("gives each tenant its own blocks, guard and output, and its own settings", () => {
    const { config } = synthStack((stack, us) => {
      const eu = new ImmutaProvider(stack, "eu", { url: "https://eu.immuta.example" });
      new Purpose(stack, "research-us", { name: "Research", provider: us });
      new Purpose(stack, "research-eu", { name: "Research", provider: eu });
      new Purpose(stack, "marketing-eu", { name: "Marketing", provider: eu });
    });
    expect(resourceNamed(config, "immuta_guard").triggers_replace).toEqual(["purpose/Research"]);
    expect(resourceNamed(config, "eu_guard").triggers_replace).toEqual([
      "purpose/Marketing",
      "purpose/Research",
    ]);
    expect(Object.keys(blockOf(config, "purpose", { tenant: "eu" }).for_each ?? {})).toEqual([
      "Marketing",
      "Research",
    ]);
    expect(blockOf(config, "purpose", { tenant: "eu" }).depends_on).toEqual([
      "terraform_data.eu_guard",
    ]);
    expect(Object.keys(config.output ?? {}).sort()).toEqual(["eu_manifest", "immuta_manifest"]);
    const euApply = stepArgv(
      stepOf(blockOf(config, "purpose", { tenant: "eu" }), "create"),
      instanceContext("Research", { f: "", a: [] }),
    );
    expect(euApply.slice(2, 5)).toEqual(["apply", "--url", "https://eu.immuta.example"]);
    const usApply = stepArgv(
      stepOf(blockOf(config, "purpose"), "create"),
      instanceContext("Research", { f: "", a: [] }),
    );
    expect(usApply).not.toContain("--url");
  });

  it("refuses the same key twice for one tenant, naming both constructs", () => {
    expect(() =>
      synthStack((stack) => {
        new Purpose(stack, "one", { name: "Research" });
        new Purpose(stack, "two", { name: "Research" });
      }),
    ).toThrow(
      'governance/two: purpose "Research" is already defined by governance/one for this tenant; each key may be managed once',
    );
  });

  it("refuses two providers whose resources would share names", () => {
    expect(() =>
      synthStack((stack) => {
        new ImmutaProvider(stack, "prod-tenant");
        new ImmutaProvider(stack, "prod_tenant");
      }, false),
    ).toThrow(
      'governance/prod_tenant: its resources would be named "prod_tenant_...", as governance/prod-tenant\'s are; give one of them another id',
    );
  });

  it("refuses settings that would only fail at apply time, all at once", () => {
    const stack = new TerraformStack(Testing.app({ outdir: tempOutdir() }), "s");
    expect(
      () => new ImmutaProvider(stack, "p", { wait: 1.5, timeoutSeconds: 0, retries: -1 }),
    ).toThrow(
      "s/p: wait must be a whole number of seconds, below 0 to wait indefinitely (got 1.5); " +
        "timeoutSeconds must be above 0 (got 0); retries must be a whole number, 0 or more (got -1)",
    );
  });

  it("refuses a URL known only at apply time, an API key where a variable name belongs, and an unknown carrier", () => {
    const stack = new TerraformStack(Testing.app({ outdir: tempOutdir() }), "s");
    const url = new TerraformData(stack, "url", { input: "https://x" });
    expect(() => new ImmutaProvider(stack, "a", { url: `${url.output}` })).toThrow(
      /url must be known at synth/,
    );
    expect(() => new ImmutaProvider(stack, "b", { apiKeyEnv: "sk-live abc/123" })).toThrow(
      "s/b: apiKeyEnv must be the name of an environment variable, not a key (letters, digits and _; got 15 characters)",
    );
    expect(() => new ImmutaProvider(stack, "c", { carrier: "aws_instance" as never })).toThrow(
      's/c: carrier must be "terraform_data" or "null_resource" (got "aws_instance")',
    );
  });
});
