/**
 * Issue 16.3: a data platform team's layout, one stack per team on one tenant, each with its
 * state in PostgreSQL, deployed together by `cdktf deploy '*'` (every stack at once). Each stack
 * converges and only ever writes or deletes its own objects; a stack declaring a key another one
 * holds is refused by the ownership guard before it writes anything.
 *
 * The deploys wait for locks (-lock-timeout), as a team's CI must with the pg backend: Terraform
 * takes one advisory lock for the whole database (-1) while it creates a workspace, held for the
 * whole first deploy, and for an instant on every other lock. Without a timeout, the first deploy
 * of ten new stacks at once failed for nine of them ("Already locked for workspace creation");
 * with one, they ran one after the other (125 s here). So the stacks' workspaces are created
 * first, one by one (an empty state pushed, 0.1 s each), and the ten deploys then run side by side.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type RunningServer } from "../../../src/server";
import { startCdktf, writeCdktfApp, type AppStack } from "../../helpers/cdktf-app";
import { describeWithPostgres, dropSchemas, uniqueSchema } from "../../helpers/postgres";
import { calls } from "../harness";
import { terraform, terraformEnv } from "../terraform";

jest.setTimeout(600_000);

const API_KEY = "team-stacks-key";
const TEAMS = Array.from({ length: 10 }, (_, i) => `team-${i}`);

interface TeamCode {
  /** Keeps the team's masking policy (the object one test removes). */
  readonly policy?: boolean;
  /** Also declares a masking policy of this key, which may be another team's. */
  readonly alsoPolicy?: string;
}

/** One team's stack: its purpose, a masking policy and a project naming the purpose. */
function maskPolicy(policyKey: string, name: string): object {
  return {
    policyKey,
    name,
    type: "data",
    actions: [
      {
        rules: [
          {
            type: "Masking",
            config: {
              fields: [{ type: "columnTags", columnTag: "PII" }],
              maskingConfig: { type: "Hash" },
            },
          },
        ],
      },
    ],
    circumstances: [{ type: "columnTags", columnTag: "PII" }],
  };
}

function teamBody(team: string, code: TeamCode = {}): string {
  const policy = maskPolicy(`${team}-mask`, `${team} masks PII`);
  return [
    `const purpose = new lib.Purpose(stack, "purpose", { name: "${team}-research" });`,
    code.policy === false ? "" : `new lib.GlobalPolicy(stack, "mask", ${JSON.stringify(policy)});`,
    `new lib.Project(stack, "project", { projectKey: "${team}-project", name: "${team}", purposes: [purpose] });`,
    code.alsoPolicy
      ? `new lib.GlobalPolicy(stack, "borrowed", ${JSON.stringify(maskPolicy(code.alsoPolicy, `${team}'s`))});`
      : "",
  ].join("\n");
}

/** A state with nothing in it: pushed, it creates the stack's workspace in PostgreSQL. */
function emptyState(): string {
  return JSON.stringify({
    version: 4,
    serial: 1,
    lineage: randomUUID(),
    outputs: {},
    resources: [],
  });
}

/** The requests of a team's first deploy: the guard's dry runs, then one POST per object. */
function firstDeploy(team: string): string[] {
  const objects = [`policy ${team}-mask`, `project ${team}-project`, `purpose ${team}-research`];
  return [...objects.map((o) => `DELETE? ${o}`), ...objects.map((o) => `POST ${o}`)];
}

describeWithPostgres("ten stacks on one tenant, deployed at once", (connStr) => {
  let server: RunningServer;
  let work: string;
  const schemas = new Map(TEAMS.map((team) => [team, uniqueSchema(team.replace("-", ""))]));
  let deployedAll: { code: number; output: string };

  const env = () =>
    terraformEnv({
      IMMUTA_URL: server.url,
      IMMUTA_API_KEY: API_KEY,
      CI: "1",
      TF_CLI_ARGS_plan: "-lock-timeout=300s",
      TF_CLI_ARGS_apply: "-lock-timeout=300s",
    });
  /** The app as committed now: each team's stack as `code` says (the rest as at first). */
  const commit = (code: Record<string, TeamCode> = {}) => {
    const stacks: AppStack[] = TEAMS.map((team) => ({
      name: team,
      schema: schemas.get(team)!,
      body: teamBody(team, code[team]),
    }));
    writeCdktfApp(work, connStr, stacks);
  };
  const cdktfDeploy = async (...stacks: string[]) => {
    const command = startCdktf(work, ["deploy", ...stacks, "--auto-approve"], env());
    try {
      return { code: await command.exited, output: command.output() };
    } finally {
      command.stop();
    }
  };
  const keys = async (kind: string) => {
    const response = await fetch(`${server.url}/api/v2/${kind}`, {
      headers: { authorization: API_KEY },
    });
    const body = (await response.json()) as string[] | { keys: string[] };
    return (Array.isArray(body) ? body : body.keys).sort();
  };

  const stackDir = (team: string) => join(work, "cdktf.out", "stacks", team);

  beforeAll(async () => {
    server = await startServer({ apiKeys: [{ key: API_KEY }] });
    work = mkdtempSync(join(tmpdir(), "immuta-team-stacks-"));
    commit();
    const synth = startCdktf(work, ["synth"], env());
    expect(await synth.exited).toBe(0);
    for (const team of TEAMS) {
      writeFileSync(join(stackDir(team), "empty.tfstate"), emptyState());
      for (const args of [
        ["init", "-input=false"],
        ["state", "push", "empty.tfstate"],
      ]) {
        const created = await terraform(args, stackDir(team), env());
        expect({ code: created.code, output: created.code === 0 ? "" : created.output }).toEqual({
          code: 0,
          output: "",
        });
      }
    }
    deployedAll = await cdktfDeploy("*");
  });
  afterAll(async () => {
    await server.close();
    rmSync(work, { recursive: true, force: true });
    await dropSchemas(connStr, [...schemas.values()]);
  });

  it("cdktf deploy '*' converges every stack, each object POSTed once", async () => {
    expect({
      code: deployedAll.code,
      output: deployedAll.code === 0 ? "" : deployedAll.output,
    }).toEqual({
      code: 0,
      output: "",
    });
    expect(calls(server.requests())).toEqual(TEAMS.flatMap(firstDeploy).sort());
    const plans = await Promise.all(
      TEAMS.map((team) =>
        terraform(
          ["plan", "-detailed-exitcode", "-input=false", "-no-color"],
          stackDir(team),
          env(),
        ),
      ),
    );
    expect(plans.map((p) => p.code)).toEqual(TEAMS.map(() => 0));
  });

  it("one stack's removed object is DELETEd, and nothing of another stack is touched", async () => {
    const before = server.requests().length;
    commit({ "team-1": { policy: false } });
    const deployed = await cdktfDeploy("*");
    expect(deployed.code).toBe(0);
    // Every stack planned and applied; only team-1 had anything to do, not even a dry run.
    expect(calls(server.requests().slice(before))).toEqual(["DELETE policy team-1-mask"]);
    expect(await keys("policy")).toEqual(
      TEAMS.filter((t) => t !== "team-1")
        .map((t) => `${t}-mask`)
        .sort(),
    );
    expect(await keys("purpose")).toEqual(TEAMS.map((t) => `${t}-research`).sort());
  });

  it("a stack declaring another stack's key is refused before any write", async () => {
    const before = server.requests().length;
    commit({ "team-1": { policy: false }, "team-2": { alsoPolicy: "team-0-mask" } });
    const refused = await cdktfDeploy("team-2");
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/global policy "team-0-mask"/);
    expect(refused.output).toMatch(/adopt: true/);
    // Whether Immuta holds it, and whether exactly as declared (it does not: team-0's name).
    expect(calls(server.requests().slice(before))).toEqual([
      "DELETE? policy team-0-mask",
      "POST? policy team-0-mask",
    ]);
    const theirs = await fetch(`${server.url}/api/v2/policy/team-0-mask`, {
      headers: { authorization: API_KEY },
    });
    expect(await theirs.json()).toMatchObject({ name: "team-0 masks PII" });
  });
});
