/**
 * Issue 12, item 3: YAML aliases are bounded by what they expand to, not by how often they are
 * used, in the server and in the payload loader (`PayloadDirectory`, `immuta-v2 validate`) alike;
 * and no object is stored larger than the server's limit, whatever the YAML that made it.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "../../src/cli/run";
import { ParseLimitError } from "../../src/payload/parse";
import { loadPayloadText } from "../../src/payload";
import { acme, serve } from "../server/support";
import { captureIo } from "../helpers/capture-io";
import { filesUnder, tempDir } from "./support";

/** A valid policy: one anchored list of `rules` masking rules, used `uses` more times. */
function amplifiedPolicy(rules: number, uses: number): string {
  const lines = [
    "policyKey: amplified",
    "name: amplified",
    "type: data",
    "actions:",
    "  - rules: &rules",
    ...Array.from(
      { length: rules },
      () =>
        "      - { type: Masking, config: { fields: [{ type: columnTags, columnTag: PII }], maskingConfig: { type: Hash } } }",
    ),
    ...Array.from({ length: uses }, () => "  - rules: *rules"),
  ];
  return `${lines.join("\n")}\n`;
}

/** A purpose whose description list is one 120 KB string used 99 times: 12 MB written out. */
const WIDE_STRING = `name: wide\nx: &s "${"w".repeat(120_000)}"\ndescription: [${Array(99).fill("*s").join(", ")}]\n`;

test("the server refuses a document its aliases expand past the body limit (413), storing nothing", async () => {
  const dataDir = tempDir();
  const server = await serve({ dataDir, maxBodyBytes: 64 * 1024 });
  const yaml = amplifiedPolicy(200, 99); // 25 KB of YAML; over 2 MB written out
  expect(yaml.length).toBeLessThan(32 * 1024);
  const answer = await server.post("policy", yaml, "", { contentType: "application/yaml" });
  expect(answer.status).toBe(413);
  expect(answer.body.message).toMatch(
    /^request body:\d+:\d+: its aliases expand it to more than 65536 bytes; write the values out, or split the document$/,
  );
  expect((await server.call("GET", "/api/v2/policy")).body).toEqual([]);
  await server.close();
  expect(Object.keys(filesUnder(dataDir))).toEqual([]);
});

test("no object is stored larger than the body limit, whatever YAML made it (413)", async () => {
  const server = await serve({ maxBodyBytes: 4000 });
  // Within the YAML body limit, but written out as JSON every \x01 takes six bytes.
  const yaml = `name: controls\ndescription: "${"\\x01".repeat(900)}"\n`;
  expect(Buffer.byteLength(yaml)).toBeLessThan(4000);
  const answer = await server.post("purpose", yaml, "", { contentType: "text/yaml" });
  expect(answer.status).toBe(413);
  expect(answer.body.message).toMatch(
    /^The payload would be stored as \d+ bytes; the server stores at most 4000 per object$/,
  );
  expect((await server.call("GET", "/api/v2/purpose")).body).toEqual([]);
  // Aliases within the bound are still fine.
  const shared = "name: &d Shared\ndescription: *d\n";
  expect((await server.post("purpose", shared, "", { contentType: "text/yaml" })).status).toBe(200);
  expect((await server.post("data", acme(), "")).status).toBe(200);
  await server.close();
});

test("payload files (PayloadDirectory, immuta-v2 validate) are bounded the same way", async () => {
  let error: unknown;
  try {
    loadPayloadText(WIDE_STRING, "wide.yaml");
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(ParseLimitError);
  expect((error as Error).message).toBe(
    "wide.yaml:1:1: its aliases expand it to more than 10485760 bytes; write the values out, or split the document",
  );

  const dir = tempDir();
  writeFileSync(join(dir, "wide.yaml"), WIDE_STRING);
  const { io, stdout, stderr } = captureIo({ cwd: dir });
  expect(await run(["validate", "wide.yaml"], io)).toBe(1);
  expect(`${stdout()}${stderr()}`).toContain("its aliases expand it to more than 10485760 bytes");
});
