/**
 * Secrets: `$env` placeholders resolved just before sending, and no secret value in any output,
 * whichever way it could get there (a verbose log, the server echoing the payload back, a flag).
 * Every test here also goes through the harness's scan of all output.
 */
import { MockAgent } from "undici";
import { applyCommand } from "../../src/cli/commands/apply";
import { API_KEY, CLIENT_SECRET, DB_PASSWORD, PAYLOADS, testServer } from "../client/fixtures";
import { cli, expectNoSecrets, workdir } from "./harness";

const ORIGIN = "http://immuta.test";
const DWH_USER = "svc-user-from-env-Qx81";

/** A MockAgent answering one POST to /api/v2/data, keeping the body it received. */
function capturingAgent(status = 200, answer: (body: string) => object = () => ok) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const bodies: string[] = [];
  agent
    .get(ORIGIN)
    .intercept({ path: "/api/v2/data?dryRun=false", method: "POST" })
    .reply((options) => {
      bodies.push(String(options.body));
      return { statusCode: status, data: answer(String(options.body)) };
    });
  return { agent, bodies };
}

const ok = {
  dryRun: false,
  creating: ["public.customers"],
  updating: [],
  deleting: [],
  noChange: [],
  disabling: [],
  detectionRunning: false,
  tagsUpdated: false,
};

/** A data payload with secrets in every place they can be. */
const secretive = {
  ...PAYLOADS.data,
  connection: {
    ...PAYLOADS.data.connection,
    username: { $env: "DWH_USER" },
    clientSecret: { $env: "DWH_CLIENT_SECRET" },
    userFiles: [{ keyName: "PRIV_KEY_FILE", content: { $env: "DWH_CLIENT_SECRET" } }],
  },
};
const env = { IMMUTA_URL: ORIGIN, DWH_USER, DWH_CLIENT_SECRET: CLIENT_SECRET };

describe("secrets", () => {
  it("replaces every $env placeholder with its variable just before sending", async () => {
    const { agent, bodies } = capturingAgent();
    const result = await cli(["apply", "--kind", "data", "--file", "data.json"], {
      env,
      cwd: workdir({ "data.json": secretive }),
      command: applyCommand({ client: { dispatcher: agent } }),
      secrets: [DWH_USER],
    });
    expect(result.code).toBe(0);
    const sent = JSON.parse(bodies[0]);
    expect(sent.connection).toMatchObject({
      username: DWH_USER,
      password: DB_PASSWORD,
      clientSecret: CLIENT_SECRET,
      userFiles: [{ keyName: "PRIV_KEY_FILE", content: CLIENT_SECRET }],
    });
  });

  it("the embedded server accepts the resolved payload (it refuses an unresolved one)", async () => {
    const server = await testServer();
    const result = await cli(["apply", "--kind", "data", "--file", "data.json"], {
      env: { IMMUTA_URL: server.url },
      cwd: workdir({ "data.json": PAYLOADS.data }),
    });
    expect(result.code).toBe(0);
  });

  it("tells the server where $env values sit, so that it never shows them back, whatever the field", async () => {
    const server = await testServer();
    const note = "a value from the environment, in a field no name marks secret";
    const result = await cli(["apply", "--kind", "purpose", "--file", "p.json"], {
      env: { IMMUTA_URL: server.url, PURPOSE_NOTE: note },
      cwd: workdir({
        "p.json": JSON.stringify({ name: "Noted", description: { $env: "PURPOSE_NOTE" } }),
      }),
    });
    expect(result.code).toBe(0);
    const read = await cli(["get", "--kind", "purpose", "--key", "Noted"], {
      env: { IMMUTA_URL: server.url },
    });
    expect(JSON.parse(read.stdout)).toMatchObject({ name: "Noted", description: "[redacted]" });
    expect(read.stdout).not.toContain(note);
  });

  it("fails with exit 2 naming each unset variable and its field, before sending", async () => {
    const { agent, bodies } = capturingAgent();
    const result = await cli(["apply", "--kind", "data", "--file", "data.json"], {
      onlyEnv: { IMMUTA_URL: ORIGIN, IMMUTA_API_KEY: API_KEY, DWH_USER },
      cwd: workdir({ "data.json": secretive }),
      command: applyCommand({ client: { dispatcher: agent } }),
      secrets: [DWH_USER],
    });
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "immuta-v2: secret placeholder not resolvable:\n" +
        "  connection.password: environment variable DWH_PASSWORD is not set\n" +
        "  connection.clientSecret: environment variable DWH_CLIENT_SECRET is not set\n" +
        "  connection.userFiles[0].content: environment variable DWH_CLIENT_SECRET is not set\n",
    });
    expect(bodies).toEqual([]);
  });

  it("refuses an empty variable like an unset one, naming it (an unconfigured CI secret is empty)", async () => {
    const { agent, bodies } = capturingAgent();
    const result = await cli(["apply", "--kind", "data", "--file", "data.json"], {
      onlyEnv: {
        IMMUTA_URL: ORIGIN,
        IMMUTA_API_KEY: API_KEY,
        DWH_USER,
        DWH_PASSWORD: "",
        DWH_CLIENT_SECRET: CLIENT_SECRET,
      },
      cwd: workdir({ "data.json": secretive }),
      command: applyCommand({ client: { dispatcher: agent } }),
      secrets: [DWH_USER],
    });
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "immuta-v2: secret placeholder not resolvable:\n" +
        "  connection.password: environment variable DWH_PASSWORD is empty\n",
    });
    expect(bodies).toEqual([]);
  });

  it("redacts secret fields and every $env value in --verbose logs", async () => {
    const { agent } = capturingAgent();
    const result = await cli(["apply", "--kind", "data", "--file", "data.json", "--verbose"], {
      env,
      cwd: workdir({ "data.json": secretive }),
      command: applyCommand({ client: { dispatcher: agent } }),
      secrets: [DWH_USER],
    });
    expect(result.code).toBe(0);
    const logged = JSON.parse(result.stderr.split("\n")[1].slice(2));
    expect(logged.connection).toMatchObject({
      username: "[redacted]",
      password: "[redacted]",
      clientSecret: "[redacted]",
      userFiles: [{ keyName: "PRIV_KEY_FILE", content: "[redacted]" }],
    });
    expect(result.stderr).toMatch(
      /^> POST \/api\/v2\/data\?dryRun=false\n> \{.*\}\n< 200 .*\n< \{/,
    );
  });

  it("scrubs secrets the server echoes back in an error", async () => {
    const { agent } = capturingAgent(400, (body) => ({
      statusCode: 400,
      error: "Bad Request",
      message: `cannot connect with ${body} using key ${API_KEY}`,
    }));
    const result = await cli(["apply", "--kind", "data", "--file", "data.json"], {
      env,
      cwd: workdir({ "data.json": secretive }),
      command: applyCommand({ client: { dispatcher: agent } }),
      secrets: [DWH_USER],
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('"password":"[redacted]"');
    expect(result.stderr).toContain("using key [redacted]");
  });

  it("takes the API key only as a variable's name, and never echoes a key given there", async () => {
    const server = await testServer();
    const named = await cli(
      ["list", "--kind", "purpose", "--json", "--url", server.url, "--api-key-env", "MY_KEY"],
      { onlyEnv: { MY_KEY: API_KEY } },
    );
    expect(named).toMatchObject({ code: 0, stdout: "[]\n" });
    const pasted = await cli([
      "list",
      "--kind",
      "purpose",
      "--url",
      server.url,
      "--api-key-env",
      API_KEY,
    ]);
    expect(pasted.code).toBe(2);
    expect(pasted.stderr).toBe(
      "immuta-v2: --api-key-env takes the NAME of an environment variable holding the API key " +
        "(letters, digits and _), never the key itself\n",
    );
  });

  it("the scan itself catches a secret in any form", () => {
    expect(() => expectNoSecrets(`x ${DB_PASSWORD} y`)).toThrow(/leaked/);
    expect(() => expectNoSecrets(encodeURIComponent(`a ${API_KEY}`))).toThrow(/leaked/);
    expect(() => expectNoSecrets("nothing here")).not.toThrow();
  });
});
