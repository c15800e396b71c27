import "../setup-cdktf";
import { TerraformStack, Testing } from "cdktf";
import { ImmutaProvider, Purpose, TerraformData } from "../../src";
import { resourceAt, synthStack } from "../helpers/synth";

describe("ImmutaProvider", () => {
  it("puts its settings in every command, and never the API key", () => {
    process.env.IMMUTA_API_KEY = "key-must-not-appear";
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
      for (const path of ["research/apply", "research/identity", "immuta/prune"]) {
        const step = resourceAt(config, path).provisioner[0]["local-exec"];
        expect(step.interpreter.slice(3, 3 + connection.length)).toEqual(connection);
      }
      expect(json).not.toContain("key-must-not-appear");
    } finally {
      delete process.env.IMMUTA_API_KEY;
    }
  });

  it("records the managed objects in a prune resource that runs after them all", () => {
    const { config } = synthStack((stack) => {
      new Purpose(stack, "b", { name: "B" });
      new Purpose(stack, "a", { name: "A" });
    });
    const prune = resourceAt(config, "immuta/prune");
    expect(prune.input).toEqual(["purpose/A", "purpose/B"]);
    expect(prune.triggers_replace).toEqual(prune.input);
    expect(prune.depends_on).toEqual([
      resourceAt(config, "b/apply").address,
      resourceAt(config, "a/apply").address,
    ]);
    const step = prune.provisioner[0]["local-exec"];
    expect(step.interpreter.slice(2)).toEqual([
      "prune",
      "--manifest-env",
      "IMMUTA_MANIFEST",
      "--output",
    ]);
    expect(step.command).toBe("immuta_manifest");
    expect(config.output?.immuta_manifest.value).toBe(`\${${prune.address}.output}`);
  });

  it("is found without being named when it is the stack's only one", () => {
    const synthesized = Testing.synthScope((scope) => {
      new ImmutaProvider(scope, "immuta");
      new Purpose(scope, "research", { name: "Research" });
    });
    expect(synthesized).toHaveResourceWithProperties(TerraformData, {
      triggers_replace: '{"name":"Research"}',
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

  it("gives each tenant its own prune list and manifest output", () => {
    const { config } = synthStack((stack, us) => {
      const eu = new ImmutaProvider(stack, "eu", { url: "https://eu.immuta.example" });
      new Purpose(stack, "research-us", { name: "Research", provider: us });
      new Purpose(stack, "research-eu", { name: "Research", provider: eu });
      new Purpose(stack, "marketing-eu", { name: "Marketing", provider: eu });
    });
    expect(resourceAt(config, "immuta/prune").input).toEqual(["purpose/Research"]);
    expect(resourceAt(config, "eu/prune").input).toEqual(["purpose/Marketing", "purpose/Research"]);
    expect(Object.keys(config.output ?? {}).sort()).toEqual(["eu_manifest", "immuta_manifest"]);
    expect(
      resourceAt(config, "research-eu/apply").provisioner[0]["local-exec"].interpreter,
    ).toContain("https://eu.immuta.example");
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

  it("refuses two providers whose lists would share one stack output", () => {
    expect(() =>
      synthStack((stack) => {
        new ImmutaProvider(stack, "prod-tenant");
        new ImmutaProvider(stack, "prod_tenant");
      }, false),
    ).toThrow(
      'governance/prod_tenant: its list of managed objects would be recorded in the stack output "prod_tenant_manifest", which governance/prod-tenant already uses; give one of them another id',
    );
  });

  it("refuses settings that would only fail at apply time, all at once", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    expect(
      () => new ImmutaProvider(stack, "p", { wait: 1.5, timeoutSeconds: 0, retries: -1 }),
    ).toThrow(
      "s/p: wait must be a whole number of seconds, below 0 to wait indefinitely (got 1.5); " +
        "timeoutSeconds must be above 0 (got 0); retries must be a whole number, 0 or more (got -1)",
    );
  });

  it("refuses a URL known only at apply time, and an API key where a variable name belongs", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const url = new TerraformData(stack, "url", { input: "https://x" });
    expect(() => new ImmutaProvider(stack, "a", { url: `${url.output}` })).toThrow(
      /url must be known at synth/,
    );
    expect(() => new ImmutaProvider(stack, "b", { apiKeyEnv: "sk-live abc/123" })).toThrow(
      "s/b: apiKeyEnv must be the name of an environment variable, not a key (letters, digits and _; got 15 characters)",
    );
  });
});
