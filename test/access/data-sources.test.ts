/**
 * The data sources the simulator sees, from connection payloads and the catalog, as the embedded
 * server reads them: names from the name template, `all` sources, query sources, table and
 * column tags; and the errors a wrong input gets, naming the payload field.
 */
import { ValidationError } from "../../src/errors";
import { catalogOf, connection, simulateAccess, table } from "./support";

const catalog = catalogOf({
  Sales: { Customers: ["ID", "Email"], Orders: ["ID", "Amount"] },
});
const names = (tenant: Parameters<typeof simulateAccess>[0]) =>
  simulateAccess(tenant, {}).dataSources.map((d) => d.name);

describe("data source names and tables", () => {
  test("no sources: every catalog table, named <schema>.<tablename> lower-cased (the default template)", () => {
    expect(names({ dataSources: [connection(undefined)], catalog })).toEqual([
      "sales.customers",
      "sales.orders",
    ]);
  });

  test("a name template with <database>, and a source's own naming.datasource", () => {
    const tenant = {
      dataSources: [
        connection(
          [
            table("Customers", {}, "Sales"),
            { ...table("Orders", {}, "Sales"), naming: { datasource: "All Orders" } },
          ],
          {
            nameTemplate: { dataSourceFormat: "<database> <schema> <Tablename>" },
          },
        ),
      ],
      catalog,
    };
    expect(names(tenant)).toEqual(["all orders", "analytics sales customers"]);
  });

  test("{ all: true } adds the tables not listed, with the connection's table tags only", () => {
    const report = simulateAccess(
      {
        dataSources: [
          connection([table("customers", { table: ["Own"] }, "sales"), { all: true }], {
            options: { tableTags: ["Everywhere"] },
          }),
        ],
        catalog,
      },
      {},
    );
    expect(report.dataSources.map((d) => [d.name, d.tableTags])).toEqual([
      ["sales.customers", ["Everywhere", "Own"]],
      ["sales.orders", ["Everywhere"]],
    ]);
  });

  test("column tags find the catalog's column whatever the letter case; a column tagged twice gets both lists", () => {
    const report = simulateAccess(
      {
        dataSources: [
          connection([
            {
              table: "customers",
              schema: "sales",
              tags: {
                columns: [
                  { columnName: "email", tags: ["PII"] },
                  { columnName: "EMAIL", tags: ["Contact", "PII"] },
                ],
              },
            },
          ]),
        ],
        catalog,
      },
      {},
    );
    expect(report.dataSources[0].columns.map((c) => [c.column, c.tags])).toEqual([
      ["ID", []],
      ["Email", ["PII", "Contact"]],
    ]);
  });

  test("a query source is named by naming.datasource and has no known columns", () => {
    const report = simulateAccess(
      { dataSources: [connection([{ query: "select 1", naming: { datasource: "Daily Count" } }])] },
      {},
    );
    expect(report.dataSources).toEqual([
      expect.objectContaining({ name: "daily count", columns: [] }),
    ]);
  });

  test("without a catalog, a listed table's known columns are those its column tags name", () => {
    const report = simulateAccess(
      { dataSources: [connection([table("customers", { columns: { email: ["PII"] } }, "sales")])] },
      {},
    );
    expect(report.dataSources[0].columns.map((c) => c.column)).toEqual(["email"]);
  });

  test("a catalog that lacks the connection is a warning, not an error, for listed tables", () => {
    const report = simulateAccess(
      {
        dataSources: [connection([table("customers", {}, "sales")])],
        catalog: catalogOf({ s: { t: ["c"] } }, "elsewhere.example.com"),
      },
      {},
    );
    expect(report.warnings).toEqual([
      {
        path: 'dataSources["acme"].connection',
        message:
          "the catalog has no acme.example.com/ANALYTICS: only the columns named in column tags are known",
      },
    ]);
  });
});

describe("input errors name the field and say what is wrong", () => {
  const problems = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).problems;
    }
    throw new Error("expected a ValidationError");
  };

  test("a connection taking every table needs a catalog", () => {
    expect(problems(() => simulateAccess({ dataSources: [connection(undefined)] }, {}))).toEqual([
      {
        path: 'dataSources["acme"].sources',
        message:
          "takes every table of acme.example.com/ANALYTICS, so the simulator needs a catalog listing that connection's tables (the catalog format of immuta-v2 serve --catalog)",
      },
    ]);
  });

  test("an unknown table or column", () => {
    expect(
      problems(() =>
        simulateAccess(
          {
            dataSources: [
              connection([
                table("nope", {}, "sales"),
                table("customers", { columns: { phone: ["PII"] } }, "sales"),
              ]),
            ],
            catalog,
          },
          {},
        ),
      ),
    ).toEqual([
      {
        path: 'dataSources["acme"].sources[0].table',
        message: 'no table "sales.nope" in the catalog\'s acme.example.com/ANALYTICS',
      },
      {
        path: 'dataSources["acme"].sources[1].tags.columns[0].columnName',
        message: 'no column "phone" in Sales.Customers (it has ID, Email)',
      },
    ]);
  });

  test("two connections giving one name, and a policy key given twice", () => {
    const second = { ...connection([table("customers", {}, "sales")]), connectionKey: "copy" };
    expect(
      problems(() =>
        simulateAccess(
          {
            dataSources: [connection([table("customers", {}, "sales")]), second],
            policies: [
              { policyKey: "p", name: "p", type: "subscription", actions: { type: "anyone" } },
              { policyKey: "p", name: "p", type: "subscription", actions: { type: "manual" } },
            ],
            catalog,
          },
          {},
        ),
      ),
    ).toEqual([
      {
        path: 'dataSources["copy"].sources[0]',
        message:
          'gives the data source name "sales.customers", as dataSources["acme"].sources[0] does; names must be unique (set a nameTemplate or naming.datasource)',
      },
      { path: 'policies["p"]', message: "given twice: policy keys must be unique" },
    ]);
  });

  test("an unknown project, and unknown data source names asked for", () => {
    const tenant = {
      dataSources: [connection(undefined)],
      catalog,
      projects: [{ projectKey: "a", name: "A" }],
    };
    expect(problems(() => simulateAccess(tenant, { project: "b" }))).toEqual([
      {
        path: "project",
        message: 'no project "b" (by projectKey or name) in the tenant; it has a',
      },
    ]);
    expect(
      problems(() =>
        simulateAccess(tenant, {}, { dataSources: ["sales.customers", "sales.cust"] }),
      ),
    ).toEqual([
      {
        path: "dataSources[1]",
        message: 'no data source "sales.cust" in the tenant (it has sales.customers, sales.orders)',
      },
    ]);
  });
});
