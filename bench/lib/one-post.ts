/**
 * One-request programs for `node -e`, comparing how much a process pays to start, send one POST
 * and exit through undici's `request` and through `node:http`. The client of this package sends
 * with node:http and loads undici only for retries (src/client/undici.ts says why); these give
 * the numbers behind that choice. Both read URL, KEY and BODY from the environment.
 */
const HEADERS = `{ "content-type": "application/json", authorization: "Bearer " + process.env.KEY }`;
const CHECK = `(text) => { if (!text.includes("dryRun")) { console.error(text); process.exitCode = 1; } }`;

export const UNDICI_POST = `
const { request } = require("undici");
request(process.env.URL + "/api/v2/purpose", { method: "POST", headers: ${HEADERS}, body: process.env.BODY })
  .then((response) => response.body.text())
  .then(${CHECK});
`;

export const NODE_HTTP_POST = `
const http = require("node:http");
const req = http.request(process.env.URL + "/api/v2/purpose", { method: "POST", headers: ${HEADERS} }, (res) => {
  let text = "";
  res.setEncoding("utf8");
  res.on("data", (chunk) => (text += chunk));
  res.on("end", () => (${CHECK})(text));
});
req.end(process.env.BODY);
`;

/** Loading undici and nothing else: what its index costs before any request. */
export const UNDICI_REQUIRE = `require("undici");`;
