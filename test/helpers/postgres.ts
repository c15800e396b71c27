/**
 * The PostgreSQL server of the tests that keep Terraform state in it (the `pg` backend). `.ci/run`
 * starts a throwaway one (test/helpers/throwaway-postgres.sh) and names it in
 * IMMUTA_TEST_PG_CONN_STR; without it, those tests are skipped with that reason, unless
 * IMMUTA_TEST_REQUIRE_PG is set (as `.ci/run` does), when they fail instead of passing unseen.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";

export const PG_CONN_ENV = "IMMUTA_TEST_PG_CONN_STR";
export const PG_REQUIRED_ENV = "IMMUTA_TEST_REQUIRE_PG";

const SKIP_REASON =
  `skipped: ${PG_CONN_ENV} is unset (a PostgreSQL connection string; .ci/run starts a ` +
  `throwaway server, or: d=$(mktemp -d); export ${PG_CONN_ENV}=$(test/helpers/throwaway-postgres.sh start $d))`;

export function pgConnStr(): string | undefined {
  const conn = process.env[PG_CONN_ENV];
  if (conn) return conn;
  if (process.env[PG_REQUIRED_ENV]) {
    throw new Error(
      `${PG_REQUIRED_ENV} is set but ${PG_CONN_ENV} is not: no PostgreSQL to test with`,
    );
  }
  return undefined;
}

/** `describe`, given the connection string; skipped with the reason when there is none. */
export function describeWithPostgres(name: string, body: (connStr: string) => void): void {
  const conn = pgConnStr();
  if (conn === undefined) {
    console.warn(`${name}: ${SKIP_REASON}`);
    describe.skip(`${name} (${SKIP_REASON})`, () => {
      it("needs PostgreSQL", () => undefined);
    });
    return;
  }
  describe(name, () => body(conn));
}

/** A schema name no other test or run uses: each is a state store of its own. */
export function uniqueSchema(label: string): string {
  return `immuta_test_${label}_${process.pid}_${randomBytes(4).toString("hex")}`;
}

/** Drops the schemas (with the states and locks in them), when psql is there to do it. */
export function dropSchemas(connStr: string, schemas: readonly string[]): Promise<void> {
  if (schemas.length === 0) return Promise.resolve();
  const sql = schemas.map((s) => `DROP SCHEMA IF EXISTS "${s}" CASCADE;`).join(" ");
  return new Promise((resolve) => {
    // The throwaway server is removed whole after the run anyway: a missing psql is no failure.
    execFile("psql", [connStr, "-q", "-c", sql], () => resolve());
  });
}

/** A query's rows through psql, tab-separated, or undefined when psql cannot run it. */
export function query(connStr: string, sql: string): Promise<string[][] | undefined> {
  return new Promise((resolve) => {
    execFile("psql", [connStr, "-q", "-A", "-t", "-F", "\t", "-c", sql], (error, stdout) => {
      if (error) return resolve(undefined);
      resolve(
        stdout
          .split("\n")
          .filter((line) => line !== "")
          .map((line) => line.split("\t")),
      );
    });
  });
}
