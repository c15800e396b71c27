/** A project's names become references only where the construct gives back exactly that name. */
import { buildImport } from "../../src/import/build";
import type { RawObject } from "../../src/import/model";
import { typescriptModule } from "../../src/import/write-ts";

const raw = (
  kind: RawObject["kind"],
  key: string,
  value: object,
  extra: object = {},
): RawObject => ({
  kind,
  key,
  value: { ...value, ...extra },
  origin: key,
  fromServer: true,
});

const connection = {
  handler: "PostgreSQL",
  hostname: "h",
  database: "D",
  username: "u",
  password: "[redacted]",
};

function moduleFor(datasources: string[]): string {
  const result = buildImport(
    [
      raw("data", "dwh", {
        connectionKey: "dwh",
        connection,
        sources: [
          { table: "Orders", schema: "Public" },
          { table: "orders", schema: "public", naming: { datasource: "second orders" } },
        ],
      }),
      raw("project", "p", { projectKey: "p", name: "P", datasources }),
    ],
    [],
  );
  return typescriptModule(result.objects);
}

describe("references in the TypeScript module", () => {
  it("are made for names the construct would give back exactly", () => {
    expect(moduleFor(["public.orders"])).toContain(
      '    datasources: [dwh.dataSourceName("Public", "Orders")],',
    );
  });

  it("leave a name in another letter case a string, as the tenant compares names exactly", () => {
    expect(moduleFor(["Public.Orders"])).toContain('    datasources: ["Public.Orders"],');
  });

  it("leave a table the construct would not find first (same name, case aside) a string", () => {
    // dataSourceName("public", "orders") finds the first table of that name, whatever its case.
    const module = moduleFor(["second orders"]);
    expect(module).toContain('    datasources: ["second orders"],');
    expect(module).not.toContain("const dwh");
  });

  it("use the tenant's report for a connection that takes every table", () => {
    const result = buildImport(
      [
        raw(
          "data",
          "all",
          { connectionKey: "all", connection, sources: [{ all: true }] },
          {
            dataSources: [
              { name: "sales.leads", status: "active", schema: "sales", table: "leads" },
            ],
          },
        ),
        raw("project", "p", {
          projectKey: "p",
          name: "P",
          datasources: ["sales.leads", "sales.other"],
        }),
      ],
      [],
    );
    expect(typescriptModule(result.objects)).toContain(
      '    datasources: [all.dataSourceName("sales", "leads"), "sales.other"],',
    );
  });
});
