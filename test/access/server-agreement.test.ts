/**
 * Property: over 1,000 random tenants (seeded, so a failure replays), the simulator and the
 * embedded server agree on which global policy applies to which data source: for every policy,
 * the data sources the simulator lists it on are exactly the server's `appliedTo` (staged
 * policies included, owner restrictions aside: `appliedTo` is the circumstances' answer).
 */
import { simulateAccess } from "../../src/access";
import { serve, type TestServer } from "../server/support";
import { generateCatalog, generateTenant, random } from "./generate";

const SEED = 20_241_7;
const TENANTS = 1_000;

describe("the simulator agrees with the embedded server's appliedTo", () => {
  const rng = random(SEED);
  const catalog = generateCatalog(rng);
  let server: TestServer;
  beforeAll(async () => {
    server = await serve({ catalog });
  });
  afterAll(() => server.close());

  test(`on ${TENANTS} random tenants (seed ${SEED})`, async () => {
    let compared = 0;
    let nonEmpty = 0;
    for (let t = 0; t < TENANTS; t++) {
      const tenant = generateTenant(rng, catalog);
      const context = () => `tenant ${t} (seed ${SEED}): ${JSON.stringify(tenant)}`;
      for (const payload of tenant.dataSources) {
        const answer = await server.post("data", payload);
        if (answer.status !== 200) throw new Error(`${context()}\nPOST data: ${answer.text}`);
      }
      const report = simulateAccess({ ...tenant, catalog }, {});
      for (const policy of tenant.policies) {
        const answer = await server.post("policy", policy, "?dryRun=true");
        if (answer.status !== 200) throw new Error(`${context()}\nPOST policy: ${answer.text}`);
        const ours = report.dataSources
          .filter((ds) => ds.policies.some((p) => p.policyKey === policy.policyKey))
          .map((ds) => ds.name)
          .sort();
        if (JSON.stringify(ours) !== JSON.stringify(answer.body.appliedTo)) {
          throw new Error(
            `${context()}\npolicy ${policy.policyKey}: simulator ${JSON.stringify(ours)}, server ${JSON.stringify(answer.body.appliedTo)}`,
          );
        }
        compared++;
        if (ours.length > 0) nonEmpty++;
      }
      for (const payload of tenant.dataSources) {
        const path = `/api/v2/data/${encodeURIComponent(payload.connectionKey)}`;
        const deleted = await server.call("DELETE", path);
        if (deleted.status !== 200) throw new Error(`${context()}\nDELETE: ${deleted.text}`);
      }
    }
    // The generator must exercise both outcomes, or the agreement says little.
    expect(compared).toBeGreaterThan(TENANTS);
    expect(nonEmpty).toBeGreaterThan(compared / 4);
    expect(compared - nonEmpty).toBeGreaterThan(compared / 10);
  }, 120_000); // a safety limit for a loaded machine, not a speed requirement
});
