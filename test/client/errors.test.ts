/**
 * What a failed call says when the other end is not what the URL promised: a plain-HTTP server
 * behind an https:// URL, a proxy's or a web server's HTML page instead of Immuta's JSON.
 */
import { Agent } from "undici";
import { ImmutaClient, serverMessage, type ClientOptions } from "../../src/client";
import { MAX_SHOWN } from "../../src/client/server-message";
import { ApiError, NetworkError } from "../../src/errors";
import type { PayloadByKind } from "../../src/payload/types";
import { API_KEY, PAYLOADS, testServer } from "./fixtures";
import { scriptedServer } from "./scripted-server";

const purpose = PAYLOADS.purpose as PayloadByKind["purpose"];
const clients: ImmutaClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

function client(url: string, options: Partial<ClientOptions> = {}): ImmutaClient {
  const created = new ImmutaClient({ url, apiKey: API_KEY, retryDelayMs: 1, ...options });
  clients.push(created);
  return created;
}

const NGINX_502 = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
${"<!-- a padding comment to defeat a browser's friendly error page -->\n".repeat(6)}`;

describe("an https:// URL on a plain-HTTP server", () => {
  it("says the server does not speak TLS and which URL to use, without retrying", async () => {
    const server = await testServer();
    const https = server.url.replace(/^http:/, "https:");
    const retries: number[] = [];
    const error = await client(https, { onRetry: (event) => retries.push(event.attempt) })
      .apply("purpose", purpose)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toBe(
      `purpose "Clinical Research": POST /api/v2/purpose failed: the server at ${https} ` +
        `does not speak TLS; use ${server.url}`,
    );
    expect((error as Error).message).not.toMatch(/wrong version number|OpenSSL|EPROTO/);
    expect(error).toMatchObject({ attempts: 1 });
    expect(retries).toEqual([]);
  });

  it("says the same through undici's own transport (its error code differs)", async () => {
    const server = await testServer();
    const https = server.url.replace(/^http:/, "https:");
    // The client closes the agent with itself, after the test.
    const error = await client(https, { dispatcher: new Agent() })
      .list("purpose")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ causeCode: "ERR_SSL_WRONG_VERSION_NUMBER" });
    expect((error as Error).message).toBe(
      `GET /api/v2/purpose failed: the server at ${https} does not speak TLS; use ${server.url}`,
    );
  });
});

describe("an answer that is not Immuta's JSON", () => {
  it("shows the status and the page's headline, not the whole HTML page", async () => {
    const server = await scriptedServer([{ status: 502, body: NGINX_502 }]);
    const error = await client(server.url, { retries: 0 })
      .apply("purpose", purpose)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).message).toBe(
      'purpose "Clinical Research": POST /api/v2/purpose failed with 502 Bad Gateway: ' +
        'HTML page "502 Bad Gateway"',
    );
  });

  it("names a 2xx HTML page (a login page: the URL is not the tenant's API) in one line", async () => {
    const login = `<!DOCTYPE html>\n<html><head>\n<meta charset="utf-8">\n<title>\n  Sign in &amp; continue\n</title></head><body>${"<p>x</p>\n".repeat(50)}</body></html>`;
    const server = await scriptedServer([{ status: 200, body: login }]);
    const error = await client(server.url)
      .list("purpose")
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'GET /api/v2/purpose failed with 200 OK: the answer is not JSON: HTML page "Sign in & continue"',
    );
  });

  it("shows a plain-text answer's first line, bounded, and how many lines it left out", () => {
    expect(serverMessage("upstream connect error\nreset reason: overflow\n\nmore\n")).toBe(
      "upstream connect error [2 more lines]",
    );
    const long = "x".repeat(MAX_SHOWN + 50);
    expect(serverMessage(long)).toBe(`${"x".repeat(MAX_SHOWN)}...`);
    expect(serverMessage("  \n")).toBe("");
  });

  it("takes an untitled page's first line of text, skipping its scripts and styles", () => {
    const page =
      "<html><head><style>body { color: red }</style><script>var a = 1;</script></head>\n<body><h1>Service &#x55;navailable</h1><p>Try later</p></body></html>";
    expect(serverMessage(page)).toBe('HTML page "Service Unavailable"');
    expect(serverMessage("<html><body></body></html>")).toBe("an HTML page");
  });

  it("keeps Immuta's own JSON message whole, one problem a line", () => {
    const body = JSON.stringify({
      statusCode: 400,
      error: "Bad Request",
      message: "name: required\nsources[0].table: required",
    });
    expect(serverMessage(body)).toBe("name: required\nsources[0].table: required");
  });
});
