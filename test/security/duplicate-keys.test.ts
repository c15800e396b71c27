/**
 * Issue 12, item 9: a JSON object that names a key twice is refused, with line and column, as
 * YAML refuses it; JSON.parse alone would silently keep the last one.
 */
import { PayloadSyntaxError } from "../../src/errors";
import { loadPayloadText } from "../../src/payload";
import { serve } from "../server/support";

test('the server refuses {"name":"A","name":"B"} with 400 naming where, and creates nothing', async () => {
  const server = await serve();
  const answer = await server.post("purpose", '{\n  "name": "A",\n  "name": "B"\n}', "");
  expect(answer.status).toBe(400);
  expect(answer.body.message).toBe(
    'request body:3:3: invalid JSON: duplicate key "name" (first at line 2, column 3); an object may name each key once',
  );
  expect((await server.call("GET", "/api/v2/purpose")).body).toEqual([]);
  await server.close();
});

test("duplicates are found at any depth, and keys that differ only in escapes are the same key", async () => {
  const server = await serve();
  const nested = await server.post(
    "purpose",
    '{"name":"R","subpurposes":[{"name":"R.A","description":"x","description":"y"}]}',
    "",
  );
  expect(nested.body.message).toMatch(
    /^request body:1:\d+: invalid JSON: duplicate key "description"/,
  );
  const escaped = await server.post("purpose", '{"name":"A","n\\u0061me":"B"}', "");
  expect(escaped.body.message).toMatch(/^request body:1:13: invalid JSON: duplicate key "name"/);
  // Colons and quotes inside strings are no keys.
  const fine = await server.post("purpose", '{"name":"A","description":"a: \\"name\\": b"}', "");
  expect(fine.status).toBe(200);
  await server.close();
});

test("payload files refuse them too, naming file, line and column", () => {
  expect(() => loadPayloadText('{"name":"A",\n"name":"B"}', "p.json")).toThrow(
    new PayloadSyntaxError(
      "p.json",
      2,
      1,
      'invalid JSON: duplicate key "name" (first at line 1, column 2); an object may name each key once',
    ),
  );
});
