/**
 * Whether and how the user gets a data source (or joins a project): each subscription policy in
 * force is evaluated for the user, entitlement policies merge with OR (documented), and when
 * policies of different restriction levels apply, the most restrictive decides
 * (`SUBSCRIPTION_RESTRICTIVENESS`, ours). The answer names the deciding policy and every
 * overridden one, each with why.
 */
import type { SubscriptionActions } from "../payload/types";
import { evaluateAdvanced, parseAdvanced, type Parsed, type TagContext } from "./advanced";
import { SUBSCRIPTION_RESTRICTIVENESS } from "./choices";
import { textValue } from "./resolve";
import type { AccessWarning, PolicyRef, SubscriptionAccess, SubscriptionDecision } from "./types";
import { entitled, type UserContext } from "./user";

export interface SubscriptionRule {
  readonly ref: PolicyRef;
  readonly actions: SubscriptionActions;
  /** The parsed `advanced` DSL, when the actions have one. */
  readonly advanced?: Parsed;
  /** The DSL looks at the data source's tags (`@hasTagAs...`): the answer depends on them. */
  readonly readsTags?: boolean;
}

/** Parses the DSL once per policy; a syntax error is a warning and an `unknown` answer. */
export function compileSubscription(
  ref: PolicyRef,
  actions: SubscriptionActions,
  path: string,
  warnings: AccessWarning[],
): SubscriptionRule {
  if (actions.type !== "entitlements" || actions.advanced === undefined) return { ref, actions };
  const advanced = parseAdvanced(textValue(actions.advanced));
  if ("error" in advanced) {
    warnings.push({
      path: `${path}.advanced`,
      message: `the advanced DSL cannot be read (${advanced.error}); users are neither granted nor denied by it (access "unknown")`,
    });
  }
  return { ref, actions, advanced, readsTags: /@hasTagAs/.test(textValue(actions.advanced)) };
}

interface Outcome {
  readonly rule: SubscriptionRule;
  readonly access: SubscriptionAccess;
  readonly why: string;
}

const byKey = (a: { rule: SubscriptionRule }, b: { rule: SubscriptionRule }) =>
  a.rule.ref.policyKey < b.rule.ref.policyKey
    ? -1
    : a.rule.ref.policyKey > b.rule.ref.policyKey
      ? 1
      : 0;

const joinAccess = (auto: boolean | undefined): SubscriptionAccess => (auto ? "automatic" : "self");

function evaluate(rule: SubscriptionRule, user: UserContext, tags: TagContext): Outcome {
  const a = rule.actions;
  const how = a.automaticSubscription
    ? "subscribed automatically (automaticSubscription)"
    : "may subscribe (automaticSubscription is off)";
  switch (a.type) {
    case "anyone":
      return { rule, access: joinAccess(a.automaticSubscription), why: `anyone ${how}` };
    case "approval": {
      const approvers = (a.approvals ?? [])
        .map(
          (x) =>
            `${x.requiredPermission ?? x.requiredPermissions ?? "?"}${x.specificApproverRequired ? " (a specific approver)" : ""}`,
        )
        .join(" and ");
      return {
        rule,
        access: "approval",
        why: `anyone may ask; approval needed from ${approvers || "an approver"}`,
      };
    }
    case "manual":
      return {
        rule,
        access: "manual",
        why: "only an owner can add users (individual users you select)",
      };
    case "entitlements": {
      if (rule.advanced) {
        if ("error" in rule.advanced) {
          return {
            rule,
            access: "unknown",
            why: `its advanced DSL cannot be read: ${rule.advanced.error}`,
          };
        }
        const result = evaluateAdvanced(rule.advanced.node, user, tags);
        if (result.value === undefined) return { rule, access: "unknown", why: result.why };
        return result.value
          ? { rule, access: joinAccess(a.automaticSubscription), why: `${result.why}: ${how}` }
          : { rule, access: "denied", why: result.why };
      }
      const verdict = entitled(user, a.entitlements ?? {});
      return verdict.holds
        ? { rule, access: joinAccess(a.automaticSubscription), why: `${verdict.why}: ${how}` }
        : { rule, access: "denied", why: verdict.why };
    }
  }
}

const MAY: ReadonlySet<SubscriptionAccess> = new Set(["automatic", "self", "approval"]);

/**
 * The decision for the user among the subscription policies in force on one data source
 * (`rules`, any order).
 */
export function decideSubscription(
  rules: readonly SubscriptionRule[],
  user: UserContext,
  tags: TagContext,
): SubscriptionDecision {
  if (rules.length === 0) {
    return {
      access: "none",
      maySubscribe: false,
      matched: [],
      discoverable: false,
      why: "no subscription policy applies: Immuta grants no access to it (the data platform's own grants decide)",
      overridden: [],
    };
  }
  const outcomes = rules.map((r) => evaluate(r, user, tags)).sort(byKey);
  const entitlements = outcomes.filter((o) => o.rule.actions.type === "entitlements");
  const others = outcomes.filter((o) => o.rule.actions.type !== "entitlements");

  // Entitlement policies merge with OR: one met is enough.
  const groups: { level: number; lead: Outcome; members: Outcome[]; why: string }[] = others.map(
    (o) => ({
      level: SUBSCRIPTION_RESTRICTIVENESS[o.rule.actions.type],
      lead: o,
      members: [o],
      why: `${o.rule.ref.policyKey}: ${o.why}`,
    }),
  );
  if (entitlements.length > 0) {
    const met = entitlements.filter((o) => o.access === "automatic" || o.access === "self");
    const unknown = entitlements.filter((o) => o.access === "unknown");
    const lead =
      met.find((o) => o.access === "automatic") ?? met[0] ?? unknown[0] ?? entitlements[0];
    const why =
      met.length > 0 || entitlements.length === 1
        ? `${lead.rule.ref.policyKey}: ${lead.why}`
        : `meets none of ${entitlements.length} entitlement policies: ${entitlements.map((o) => `${o.rule.ref.policyKey}: ${o.why}`).join("; ")}`;
    groups.push({
      level: SUBSCRIPTION_RESTRICTIVENESS.entitlements,
      lead,
      members: entitlements,
      why,
    });
  }
  groups.sort((a, b) => b.level - a.level || byKey(a.lead, b.lead));
  const [decider, ...rest] = groups;
  const lead = decider.lead;
  const approvals =
    lead.access === "approval"
      ? (lead.rule.actions.approvals ?? []).map((x) => ({
          requiredPermission: x.requiredPermission ?? x.requiredPermissions,
          specificApproverRequired: x.specificApproverRequired,
        }))
      : undefined;
  const maySubscribe = MAY.has(lead.access);
  const overridden = [
    ...decider.members
      .filter((o) => o !== lead)
      .map((o) => ({
        policy: o.rule.ref,
        why:
          lead.access === "automatic" || lead.access === "self"
            ? `also an entitlement policy (they combine with OR): ${o.why}`
            : `also an entitlement policy (they combine with OR), and not met either: ${o.why}`,
      })),
    ...rest.flatMap((g) =>
      g.members.map((o) => ({
        policy: o.rule.ref,
        why:
          g.level < decider.level
            ? `${o.rule.actions.type} is less restrictive than ${lead.rule.actions.type} (${lead.rule.ref.policyKey}); the most restrictive subscription policy decides (ours, see src/access/choices.ts)`
            : `${o.rule.actions.type}, the same level as ${lead.rule.ref.policyKey}; of equal levels the first policyKey decides (ours, see src/access/choices.ts)`,
      })),
    ),
  ];
  return {
    access: lead.access,
    maySubscribe,
    policy: lead.rule.ref,
    matched: decider.members
      .filter(
        (o) =>
          o.rule.actions.type === "entitlements" &&
          (o.access === "automatic" || o.access === "self"),
      )
      .map((o) => o.rule.ref),
    ...(approvals ? { approvals } : {}),
    discoverable:
      maySubscribe || decider.members.some((o) => o.rule.actions.allowDiscovery === true),
    why: decider.why,
    overridden,
  };
}
