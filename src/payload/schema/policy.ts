import {
  bool,
  editorSchema,
  key,
  list,
  notBoth,
  object,
  oneOf,
  plainString,
  tagged,
  text,
  whenEquals,
  type JsonSchema,
} from "./build";
import { DATA_RULE_TYPES } from "../types";
import { ruleConfigSchema } from "./rule-config";

const attribute = object({ name: text, value: text }, ["name", "value"]);

const approval = object(
  {
    specificApproverRequired: bool,
    requiredPermission: plainString,
    requiredPermissions: plainString,
  },
  [],
  notBoth("requiredPermission", "requiredPermissions"),
);

/** The `actions` of a subscription policy; also a project's `subscriptionPolicy`. */
export const subscriptionActions: JsonSchema = object(
  {
    type: oneOf("anyone", "approval", "entitlements", "manual"),
    automaticSubscription: bool,
    allowDiscovery: bool,
    description: text,
    advanced: text,
    approvals: list(approval, { minItems: 1 }),
    entitlements: object({
      operator: oneOf("any", "all"),
      groups: list(text),
      attributes: list(attribute),
    }),
  },
  ["type"],
  {
    allOf: [
      { if: { properties: { type: { const: "approval" } } }, then: { required: ["approvals"] } },
      {
        if: { properties: { type: { const: "entitlements" } } },
        then: { required: ["entitlements"] },
      },
    ],
  },
);

/** A data-policy rule; its `config` has the shape of its `type`. */
const rule = object(
  {
    type: oneOf(...DATA_RULE_TYPES),
    config: { type: "object" },
    exceptions: object({
      operator: oneOf("any", "all"),
      groups: list(text),
      attributes: list(attribute),
      purposes: list(text),
    }),
    inclusions: object({ groups: list(text) }, ["groups"]),
  },
  ["type", "config"],
  {
    allOf: DATA_RULE_TYPES.map((type) =>
      whenEquals("type", type, { properties: { config: ruleConfigSchema(type) } }, false),
    ),
  },
);

const dataActions: JsonSchema = list(object({ rules: list(rule, { minItems: 1 }) }, ["rules"]), {
  minItems: 1,
});

const circumstance = tagged("type", {
  tags: object({ type: { const: "tags" }, tag: text }, ["type", "tag"]),
  columnTags: object({ type: { const: "columnTags" }, columnTag: text }, ["type", "columnTag"]),
  columnRegex: object({ type: { const: "columnRegex" }, regex: text, caseInsensitive: bool }, [
    "type",
    "regex",
  ]),
  noTags: object({ type: { const: "noTags" } }, ["type"]),
});

export const policySchema: JsonSchema = object(
  {
    $schema: editorSchema,
    policyKey: key,
    name: text,
    type: oneOf("subscription", "data"),
    // Its shape depends on `type`, below.
    actions: { type: ["object", "array"] },
    circumstances: list(circumstance),
    circumstanceOperator: oneOf("all", "any"),
    staged: bool,
    certification: object({ text, label: text, tags: list(text), recertify: bool }),
    ownerRestrictions: object({
      users: list(object({ iamid: text, username: text }, ["username"])),
      groups: list(text),
    }),
  },
  ["policyKey", "name", "type", "actions"],
  {
    title: "Immuta V2 global policy payload (POST /api/v2/policy)",
    allOf: [
      {
        if: { properties: { type: { const: "subscription" } }, required: ["type"] },
        then: { properties: { actions: subscriptionActions } },
      },
      {
        if: { properties: { type: { const: "data" } }, required: ["type"] },
        then: { properties: { actions: dataActions } },
      },
    ],
  },
);
