/** The names import makes up: secret variables, file names, TypeScript variables. */
import { UniqueNames, fileStem, identifier } from "../../src/import/names";
import { VariableNames, findSecrets, secretVariable } from "../../src/import/secrets";
import { buildImport } from "../../src/import/build";
import type { RawObject } from "../../src/import/model";

describe("secret variables", () => {
  it("are named after the object's key and the field, connection fields without `connection`", () => {
    expect(secretVariable("data", "dwh-prod", ["connection", "password"])).toBe(
      "DWH_PROD_PASSWORD",
    );
    expect(secretVariable("data", "dwh prod", ["connection", "clientSecret"])).toBe(
      "DWH_PROD_CLIENT_SECRET",
    );
    expect(secretVariable("data", "dwh", ["connection", "userFiles", 0, "content"])).toBe(
      "DWH_USER_FILES_0_CONTENT",
    );
    expect(secretVariable("project", "fraud", ["description"])).toBe("FRAUD_DESCRIPTION");
  });

  it("are valid environment variable names whatever the key", () => {
    expect(secretVariable("data", "1st warehouse", ["connection", "password"])).toBe(
      "DATA_1ST_WAREHOUSE_PASSWORD",
    );
    expect(secretVariable("data", "Ünïcödé/☃", ["connection", "password"])).toBe(
      "UNICODE_PASSWORD",
    );
    expect(secretVariable("data", "k".repeat(200), ["connection", "password"])).toBe(
      `${"K".repeat(40)}_PASSWORD`,
    );
  });

  it("are unique across an import, leaving names the source already uses to it", () => {
    const names = new VariableNames();
    names.reserve("DWH_PROD_PASSWORD");
    expect(names.allocate("DWH_PROD_PASSWORD")).toBe("DWH_PROD_PASSWORD_2");
    expect(names.allocate("DWH_PROD_PASSWORD")).toBe("DWH_PROD_PASSWORD_3");
  });

  it("are found wherever the payload model would redact a value, and wherever the tenant did", () => {
    const found = findSecrets({
      connection: {
        handler: "Snowflake",
        password: "clear",
        privateKey: { pem: "clear too", encrypted: true },
        username: "[redacted]",
        hostname: "h",
      },
    });
    expect(found).toEqual([
      { segments: ["connection", "password"], clear: "clear" },
      { segments: ["connection", "privateKey", "pem"], clear: "clear too" },
      { segments: ["connection", "username"], clear: undefined },
    ]);
  });

  it("do not collide when two keys give one name: the first in key order keeps it", () => {
    const raw = (key: string): RawObject => ({
      kind: "data",
      key,
      value: {
        connectionKey: key,
        connection: {
          handler: "PostgreSQL",
          hostname: "h",
          database: "d",
          username: "u",
          password: "[redacted]",
        },
      },
      origin: key,
      fromServer: true,
    });
    const result = buildImport([raw("dwh_prod"), raw("dwh-prod")], []);
    expect(result.secrets.map((s) => [s.key, s.variable])).toEqual([
      ["dwh-prod", "DWH_PROD_PASSWORD"],
      ["dwh_prod", "DWH_PROD_PASSWORD_2"],
    ]);
  });
});

describe("file names", () => {
  it("keep a key's letters and digits, lower case, and are never empty or reserved", () => {
    expect(fileStem("Fraud Analysis")).toBe("fraud-analysis");
    expect(fileStem("acme/all tables")).toBe("acme-all-tables");
    expect(fileStem("Réseau.v2")).toBe("reseau.v2");
    expect(fileStem("../..")).toBe("_");
    expect(fileStem("CON")).toBe("_con");
    expect(fileStem("x".repeat(300))).toHaveLength(80);
  });

  it("are numbered when two keys share one, case aside", () => {
    const names = new UniqueNames();
    expect([names.take("research", "-"), names.take("research", "-")]).toEqual([
      "research",
      "research-2",
    ]);
  });
});

describe("TypeScript variables", () => {
  it("are camel case from the key, never a reserved word or a name the module uses", () => {
    expect(identifier("Purpose Hierarchy", "purpose")).toBe("purposeHierarchy");
    expect(identifier("dwh-prod", "data")).toBe("dwhProd");
    expect(identifier("ACME DWH", "data")).toBe("acmeDwh");
    expect(identifier("2024 budget", "purpose")).toBe("purpose2024Budget");
    expect(identifier("new", "purpose")).toBe("newPurpose");
    expect(identifier("provider", "data")).toBe("providerData");
    expect(identifier("☃", "purpose")).toBe("purpose");
  });
});
