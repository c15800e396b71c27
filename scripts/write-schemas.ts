/**
 * Writes schemas/<kind>.json from the schema definitions in src/payload/schema, which the
 * validator compiles too. `npm run schemas`; a test fails when the shipped files are stale.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { KINDS, payloadSchema } from "../src/payload";

export function schemaFileText(kind: (typeof KINDS)[number]): string {
  return `${JSON.stringify(payloadSchema(kind), null, 2)}\n`;
}

if (require.main === module) {
  for (const kind of KINDS) {
    const file = join(__dirname, "..", "schemas", `${kind}.json`);
    writeFileSync(file, schemaFileText(kind));
    console.log(`wrote ${file}`);
  }
}
