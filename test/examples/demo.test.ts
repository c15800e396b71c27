/** `npm run demo`, the README's main command: a real `cdktf deploy`, twice, and a clean exit. */
import { join } from "node:path";
import { REPO, run } from "../e2e/terraform";

jest.setTimeout(240_000);

describe("npm run demo", () => {
  it("deploys the quickstart with cdktf, shows what Immuta holds, and redeploys without a change", async () => {
    const demo = await run(join(REPO, "node_modules", ".bin", "tsx"), ["scripts/demo.ts"], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: "1" },
      timeoutMs: 230_000,
    });
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain("[3/4] What Immuta now holds");
    expect(demo.stdout).toContain(
      'project "fraud-analysis": purposes Research.Fraud; data sources public.orders, public.payments',
    );
    // 6 objects (instances of the 4 kinds' blocks), the guard, and the 4 kinds' confirm steps.
    expect(demo.stdout).toMatch(/Apply complete! Resources: 11 added, 0 changed, 0 destroyed/);
    // One POST per object; the guard's dry runs counted apart, as they change nothing.
    const summary = /\((\d+) requests: (.*)\)\n/.exec(demo.stdout);
    expect(summary?.[1]).toBe("12");
    expect(summary?.[2].split(", ").sort()).toEqual([
      "1 × POST data",
      "1 × POST project",
      "2 × POST policy",
      "2 × POST purpose",
      "6 dry runs (the guard asking whether Immuta already holds each new key)",
    ]);
    expect(demo.stdout).toContain("No change: the second deploy sent no request to Immuta.");
    expect(demo.stdout).toContain("IMMUTA_URL=https://your-tenant.immuta.example");
    expect(demo.output).not.toContain("demo-password");
    // NO_COLOR reaches cdktf and Terraform too: no escape sequence anywhere.
    expect(demo.output).not.toMatch(/\x1b\[/);
  });
});
