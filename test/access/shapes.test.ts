/**
 * Property: the simulator evaluates each distinct data source shape once and shares the answer
 * (see evaluator.ts). Over random tenants, policies of every kind and random users, the answer
 * for each data source equals the answer of a simulation of that data source alone, with a
 * freshly compiled tenant: no remembered answer leaks from one shape to another.
 */
import { compileTenant, simulateAccess } from "../../src/access";
import { generateCatalog, generateTenant, randomUser, random, richPolicies } from "./generate";

const SEED = 17;
const TENANTS = 150;

test(`answers shared between data sources alike equal answers computed alone (${TENANTS} tenants, seed ${SEED})`, () => {
  const rng = random(SEED);
  const catalog = generateCatalog(rng);
  let compared = 0;
  for (let t = 0; t < TENANTS; t++) {
    const tenant = { ...generateTenant(rng, catalog), catalog };
    const input = { ...tenant, policies: richPolicies(rng) };
    const user = randomUser(rng);
    const detail = rng.chance(0.3) ? ("full" as const) : ("summary" as const);
    const together = simulateAccess(compileTenant(input), user, { detail });
    for (const access of together.dataSources) {
      const alone = simulateAccess(compileTenant(input), user, {
        detail,
        dataSources: [access.name],
      });
      if (JSON.stringify(alone.dataSources[0]) !== JSON.stringify(access)) {
        throw new Error(
          `tenant ${t} (seed ${SEED}), ${access.name} for ${JSON.stringify(user)}:\n` +
            `together: ${JSON.stringify(access)}\nalone:    ${JSON.stringify(alone.dataSources[0])}\n` +
            `input: ${JSON.stringify(input)}`,
        );
      }
      compared++;
    }
  }
  expect(compared).toBeGreaterThan(TENANTS * 5);
}, 60_000); // a safety limit for a loaded machine, not a speed requirement
