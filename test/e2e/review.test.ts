/**
 * Plan review and drift detection, end to end: terraform's saved plan and state, the embedded
 * server's dry runs, and the reports a reviewer reads.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TerraformStack } from "cdktf";
import {
  DataSource,
  GlobalPolicy,
  Project,
  Purpose,
  Secret,
  TerraformData,
  type DataSourceProps,
} from "../../src";
import { run } from "../../src/cli/run";
import { GITHUB_COMMENT_LIMIT } from "../../src/review/render-markdown";
import { captureIo } from "../helpers/capture-io";
import { MASK_PII, SNOWFLAKE } from "../payload/fixtures";
import { API_KEY, GovernanceStack } from "./harness";
import { terraformEnv } from "./terraform";

jest.setTimeout(180_000);

const PASSWORD = "pw-review-Q7v!not-in-output";

function warehouse(tables: string[], hardDelete = false): DataSourceProps {
  return {
    connectionKey: "dwh",
    connection: { ...SNOWFLAKE, password: Secret.fromEnv("DWH_PASSWORD") },
    options: { hardDelete },
    sources: tables.map((table) => ({ table, schema: "public" })),
  };
}

function subscription(groups: string[]) {
  return {
    policyKey: "analysts",
    name: "Analysts",
    type: "subscription" as const,
    actions: { type: "entitlements" as const, entitlements: { operator: "any" as const, groups } },
    circumstances: [{ type: "tags" as const, tag: "Source.DWH" }],
  };
}

describe("plan and drift", () => {
  let stack: GovernanceStack;
  beforeEach(async () => {
    stack = await GovernanceStack.start();
    stack.env = { DWH_PASSWORD: PASSWORD };
  });
  afterEach(() => stack.close());

  /** Runs immuta-v2 in-process with the stack's environment; checks that no secret is printed. */
  async function cli(...argv: string[]) {
    const out = captureIo({
      cwd: stack.dir,
      env: terraformEnv({
        IMMUTA_URL: stack.server.url,
        IMMUTA_API_KEY: API_KEY,
        DWH_PASSWORD: PASSWORD,
      }),
    });
    const code = await run(argv, out.io);
    for (const text of [out.stdout(), out.stderr()]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(API_KEY);
    }
    return { code, stdout: out.stdout(), stderr: out.stderr() };
  }

  async function savedPlan(): Promise<string> {
    expect((await stack.terraform("plan", "-out=plan.bin", "-input=false")).code).toBe(0);
    const shown = await stack.terraform("show", "-json", "plan.bin");
    const file = join(stack.dir, "plan.json");
    writeFileSync(file, shown.stdout);
    return file;
  }

  it.each([
    [false, "would disable 1 (public.orders)"],
    [true, "would delete 1 (public.orders)"],
  ])(
    "shows a renamed table's data source disabled or deleted (hardDelete %s) first, in markdown",
    async (hardDelete, expected) => {
      stack.synth((s) => {
        new DataSource(s, "dwh", warehouse(["customers", "orders"], hardDelete));
      });
      await stack.apply();
      stack.synth((s) => {
        new DataSource(s, "dwh", warehouse(["customers", "payments"], hardDelete));
      });
      const planJson = await savedPlan();
      stack.newRequests();
      const result = await cli(
        "plan",
        "--stack-dir",
        ".",
        "--plan-json",
        planJson,
        "--format",
        "markdown",
      );
      expect(result.code).toBe(2);
      const markdown = result.stdout;
      expect(markdown).toContain("<!-- cdktf-immuta-review -->");
      expect(markdown).toContain("## Immuta plan for `governance`");
      expect(markdown).toContain("**1 deleting or disabling data sources**");
      const deletions = markdown.indexOf("### ⚠️ Deletions");
      expect(deletions).toBeGreaterThan(0);
      expect(markdown.slice(deletions)).toContain(
        `data source connection "dwh": would create 1 (public.payments), ${expected}, unchanged 1`,
      );
      // Only dry runs: nothing changed.
      const requests = stack.newRequests();
      expect(requests.map((r) => `${r.method} ${r.query.dryRun}`)).toEqual(["POST true"]);
      expect((await stack.get("data", "dwh")) as object).toMatchObject({
        sources: [{ table: "customers" }, { table: "orders" }],
      });
    },
  );

  it("summarises the groups a subscription policy change gains and loses", async () => {
    stack.synth((s) => {
      new GlobalPolicy(s, "analysts", subscription(["Analysts", "Finance"]));
    });
    await stack.apply();
    stack.synth((s) => {
      new GlobalPolicy(s, "analysts", subscription(["Analysts", "Data Science"]));
    });
    const planJson = await savedPlan();
    const markdown = await cli(
      "plan",
      "--stack-dir",
      ".",
      "--plan-json",
      planJson,
      "--format",
      "markdown",
    );
    expect(markdown.code).toBe(2);
    expect(markdown.stdout).toContain("- access gained: group Data Science");
    expect(markdown.stdout).toContain("- access lost: group Finance");
    const text = await cli("plan", "--stack-dir", ".", "--plan-json", planJson);
    expect(text.stdout).toContain('~ global policy "analysts": would be updated');
    expect(text.stdout).toContain("access: + group Data Science, - group Finance");
  });

  it("exits 0 when the saved plan changes nothing, and lists deletions of removed objects", async () => {
    stack.synth((s) => {
      new Purpose(s, "research", { name: "Research" });
      new Purpose(s, "marketing", { name: "Marketing" });
    });
    await stack.apply();
    expect((await cli("plan", "--stack-dir", ".", "--plan-json", await savedPlan())).code).toBe(0);
    stack.synth((s) => {
      new Purpose(s, "research", { name: "Research" });
    });
    const result = await cli(
      "plan",
      "--stack-dir",
      ".",
      "--plan-json",
      await savedPlan(),
      "--format",
      "json",
    );
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout) as {
      objects: { key: string; outcome: { type: string } }[];
    };
    expect(report.objects.map((o) => [o.key, o.outcome.type])).toEqual([["Marketing", "delete"]]);
    // Without a saved plan the deletions come from the state.
    const unsaved = await cli("plan", "--stack-dir", ".");
    expect(unsaved.stdout).toContain('- purpose "Marketing": would be deleted');
  });

  it("tells a deletion the deploy makes possible from one that will fail (a project still names it)", async () => {
    const build =
      (projectNamesMarketing: boolean, withMarketing: boolean) => (s: TerraformStack) => {
        const research = new Purpose(s, "research", { name: "Research" });
        const marketing = withMarketing
          ? new Purpose(s, "marketing", { name: "Marketing" })
          : undefined;
        const purposes = projectNamesMarketing ? [research, marketing ?? "Marketing"] : [research];
        new Project(s, "fraud", { projectKey: "fraud", name: "Fraud", purposes });
      };
    stack.synth(build(true, true));
    await stack.apply();

    // The project stops naming Marketing in the same change: Immuta answers 409 now, but the
    // deploy updates the project before it deletes the purpose.
    stack.synth(build(false, false));
    const fine = await cli("plan", "--stack-dir", ".", "--plan-json", await savedPlan());
    expect(fine.code).toBe(2);
    expect(fine.stdout).toContain(
      '- purpose "Marketing": would be deleted once the deploy has updated this stack\'s projects',
    );

    // The project still names it: the DELETE will fail.
    stack.synth(build(true, false));
    const failing = await cli("plan", "--stack-dir", ".", "--plan-json", await savedPlan());
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/x purpose "Marketing": .*409/);
  });

  it("reports an object changed outside Terraform, heals it with --fix, then finds no drift", async () => {
    stack.synth((s) => {
      new Purpose(s, "research", { name: "Research", description: "As code" });
      new DataSource(s, "dwh", warehouse(["customers"]));
    });
    await stack.apply();
    expect((await cli("drift", "--stack-dir", ".")).code).toBe(0);

    // Someone edits the purpose directly through the API.
    const edit = await fetch(`${stack.server.url}/api/v2/purpose`, {
      method: "POST",
      headers: { authorization: API_KEY, "content-type": "application/json" },
      body: JSON.stringify({ name: "Research", description: "Edited by hand" }),
    });
    expect(edit.status).toBe(200);

    const drift = await cli("drift", "--stack-dir", ".");
    expect(drift.code).toBe(2);
    expect(drift.stdout).toContain('Immuta drift for stack "governance": 1 to update, 1 unchanged');
    expect(drift.stdout).toContain('~ purpose "Research": would be updated');
    // Which fields, as the server that can read back says.
    expect(drift.stdout).toContain('description: "Edited by hand" → "As code"');

    const fix = await cli("drift", "--stack-dir", ".", "--fix");
    expect(fix.code).toBe(0);
    expect(fix.stdout).toContain('fixed: purpose "Research": updated');
    expect(await stack.get("purpose", "Research")).toMatchObject({ description: "As code" });
    expect((await cli("drift", "--stack-dir", ".")).code).toBe(0);
  });

  it("warns that deleting a connection takes its data sources out of the projects naming them", async () => {
    const build = (withWarehouse: boolean) => (s: TerraformStack) => {
      const research = new Purpose(s, "research", { name: "Research" });
      const dwh = withWarehouse ? new DataSource(s, "dwh", warehouse(["customers"])) : undefined;
      new Project(s, "fraud", {
        projectKey: "fraud",
        name: "Fraud",
        purposes: [research],
        datasources: dwh ? [dwh.dataSourceName("public", "customers")] : ["public.customers"],
      });
    };
    stack.synth(build(true));
    await stack.apply();
    stack.synth(build(false));
    const planJson = await savedPlan();
    const text = await cli("plan", "--stack-dir", ".", "--plan-json", planJson);
    expect(text.stdout).toContain('- data source connection "dwh": would be deleted');
    expect(text.stdout).toContain("warning: removes public.customers from project fraud");
    const markdown = await cli(
      "plan",
      "--stack-dir",
      ".",
      "--plan-json",
      planJson,
      "--format",
      "markdown",
    );
    expect(markdown.stdout).toContain("⚠️ removes public.customers from project fraud");
  });

  it("says once that the key was refused, naming the variable it came from", async () => {
    stack.synth((s) => {
      for (let i = 0; i < 30; i++) new Purpose(s, `p${i}`, { name: `Purpose ${i}` });
    });
    const refused = captureIo({
      cwd: stack.dir,
      env: terraformEnv({ IMMUTA_URL: stack.server.url, IMMUTA_API_KEY: "not-the-key" }),
    });
    expect(await run(["plan", "--stack-dir", "."], refused.io)).toBe(1);
    // Said once, and nothing else: requests still in flight end before the connections close.
    expect(refused.stderr()).toMatch(
      /^immuta-v2: Immuta refused the API key \(401\): .*\nThe key is read from the environment variable IMMUTA_API_KEY \(a provider's apiKeyEnv or --api-key-env names another\): check that it holds a valid key for this tenant\.\n$/,
    );
    expect(refused.stdout()).toBe("");
  });

  it("takes --json for --format json, on plan and drift", async () => {
    stack.synth((s) => new Purpose(s, "research", { name: "Research" }));
    await stack.apply();
    for (const command of ["plan", "drift"]) {
      const result = await cli(command, "--stack-dir", ".", "--json");
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ stack: "governance" });
    }
    const conflict = await cli("plan", "--stack-dir", ".", "--json", "--format", "text");
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(/--json and --format text disagree/);
  });

  it("shows access gained and lost against what was last deployed, not against nothing", async () => {
    stack.synth((s) => new GlobalPolicy(s, "analysts", subscription(["Analysts"])));
    await stack.apply();
    const unchanged = await cli("plan", "--stack-dir", ".", "--all");
    expect(unchanged.code).toBe(0);
    expect(unchanged.stdout).toContain('= global policy "analysts": no change');
    expect(unchanged.stdout).not.toContain("access:");
    stack.synth((s) => new GlobalPolicy(s, "analysts", subscription(["Analysts", "Finance"])));
    const changed = await cli("plan", "--stack-dir", ".");
    expect(changed.stdout).toContain("access: + group Finance");
    expect(changed.stdout).not.toContain("+ group Analysts");
  });

  it("shows first what each persona of a personas file gains and loses", async () => {
    const governance = (maskExceptions: string[], subscribers: string[]) => (s: TerraformStack) => {
      new DataSource(s, "warehouse", {
        ...warehouse(["orders"]),
        options: { hardDelete: false, tableTags: ["Source.DWH"] },
        sources: [
          {
            table: "customers",
            schema: "public",
            tags: { columns: [{ columnName: "email", tags: ["PII"] }] },
          },
        ],
      });
      new GlobalPolicy(s, "analysts", subscription(subscribers));
      const [maskRule] = MASK_PII.actions[0].rules;
      new GlobalPolicy(s, "mask-pii", {
        ...MASK_PII,
        actions: [
          { rules: [{ ...maskRule, exceptions: { operator: "any", groups: maskExceptions } }] },
        ],
      });
    };
    stack.synth(governance(["Privacy Officers"], ["Analysts"]));
    await stack.apply();
    writeFileSync(
      join(stack.dir, "personas.yaml"),
      "personas:\n  analyst: { groups: [Analysts] }\n  contractor: { groups: [Contractors] }\n" +
        "  officer: { groups: [Analysts, Privacy Officers] }\n",
    );
    writeFileSync(
      join(stack.dir, "catalog.yaml"),
      "connections:\n  - hostname: acme.snowflakecomputing.com\n    database: ANALYTICS\n" +
        "    schemas: { public: { customers: [id, email, country] } }\n",
    );
    const review = ["--personas", "personas.yaml", "--catalog", "catalog.yaml"];
    const unchanged = await cli("plan", "--stack-dir", ".", ...review);
    expect(unchanged.code).toBe(0);
    expect(unchanged.stdout).toContain(
      "note: access by persona: no change for analyst, contractor, officer",
    );

    stack.synth(governance(["Privacy Officers", "Analysts"], ["Analysts", "Contractors"]));
    const text = await cli("plan", "--stack-dir", ".", ...review);
    expect(text.code).toBe(2);
    const lines = text.stdout.split("\n");
    const first = lines.indexOf("  access by persona:");
    expect(first).toBe(1);
    expect(lines.slice(first + 1, first + 3)).toEqual([
      "    * analyst: email on public.customers: masked (Hash) → clear",
      "    * contractor: public.customers: denied → may subscribe; clear: id, country; masked (Hash): email",
    ]);
    expect(text.stdout).not.toContain("officer:");

    const planJson = await savedPlan();
    const markdown = await cli(
      "plan",
      ...["--stack-dir", ".", "--plan-json", planJson, "--format", "markdown", ...review],
    );
    expect(markdown.stdout).toContain(
      "### 👥 Access changes by persona\n\n- analyst: email on public.customers: masked (Hash) → clear\n",
    );
    const json = JSON.parse((await cli("plan", "--stack-dir", ".", "--json", ...review)).stdout);
    expect(json.personas).toContainEqual({
      persona: "analyst",
      dataSource: "public.customers",
      change: "email on public.customers: masked (Hash) → clear",
    });
  });

  it("simulates a payload known only at apply as last deployed, and says so", async () => {
    const build = (subscribers: string[]) => (s: TerraformStack) => {
      const database = new TerraformData(s, "database", {
        input: { address: "acme.snowflakecomputing.com" },
      });
      const props = warehouse(["orders"]);
      new DataSource(s, "warehouse", {
        ...props,
        connection: {
          ...props.connection,
          hostname: database.getStringAttribute("output.address"),
        },
        options: { hardDelete: false, tableTags: ["Source.DWH"] },
      });
      new GlobalPolicy(s, "analysts", subscription(subscribers));
    };
    stack.synth(build(["Analysts"]));
    await stack.apply();
    writeFileSync(
      join(stack.dir, "personas.yaml"),
      "personas:\n  contractor: { groups: [Contractors] }\n",
    );
    stack.synth(build(["Analysts", "Contractors"]));
    const text = await cli("plan", "--stack-dir", ".", "--personas", "personas.yaml");
    expect(text.stdout).toContain("* contractor: public.orders: denied → may subscribe\n");
    expect(text.stdout).toContain(
      'note: access simulated as last deployed for data source connection "dwh" ' +
        "(connection.hostname): values known only after apply",
    );
    // The files are read before any request: a mistake ends the review at once.
    stack.newRequests();
    const missing = await cli("plan", "--stack-dir", ".", "--personas", "missing.yaml");
    expect(missing).toMatchObject({
      code: 1,
      stderr: `immuta-v2: --personas ${join(stack.dir, "missing.yaml")}: cannot read: ENOENT\n`,
    });
    expect(stack.newRequests()).toEqual([]);
    const catalogAlone = await cli("plan", "--stack-dir", ".", "--catalog", "catalog.yaml");
    expect(catalogAlone).toMatchObject({
      code: 1,
      stderr: "immuta-v2: --catalog goes with --personas\n",
    });
  });

  it("keeps a 2,000-object plan under GitHub's comment limit, without cutting a table", async () => {
    stack.synth((s) => {
      for (let i = 0; i < 2000; i++) {
        new Purpose(s, `p${i}`, { name: `Purpose number ${i} with a fairly long name` });
      }
    });
    const result = await cli("plan", "--stack-dir", ".", "--format", "markdown");
    expect(result.code).toBe(2);
    const markdown = result.stdout;
    expect(markdown.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(markdown).toContain("**2000 to create**");
    expect(markdown).toMatch(/\| … \| and \d+ more \(see `immuta-v2 plan --format json`\) \|\n/);
    // Every table row is whole: it starts and ends with a pipe.
    const rows = markdown.split("\n").filter((line) => line.startsWith("|"));
    expect(rows.every((line) => line.endsWith("|"))).toBe(true);
  });
});
