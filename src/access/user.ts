/**
 * The simulated user: groups, attributes and the purposes they act under, and the three ways a
 * policy can name users (a rule's `exceptions`, its `inclusions`, a subscription's
 * `entitlements`), each answering with why, in words a reviewer reads.
 */
import type { Attribute, Entitlements, RuleExceptions, Text } from "../payload/types";
import {
  DEFAULT_ENTITLEMENTS_OPERATOR,
  DEFAULT_EXCEPTIONS_OPERATOR,
  PURPOSE_SEPARATOR,
} from "./choices";
import { textValue } from "./resolve";
import type { SimulatedUser } from "./types";

export interface UserContext {
  readonly groups: ReadonlySet<string>;
  readonly attributes: ReadonlyMap<string, ReadonlySet<string>>;
  /** Purposes acted under, directly or through the project. */
  readonly purposes: readonly string[];
}

export function userContext(user: SimulatedUser, projectPurposes: readonly string[]): UserContext {
  const attributes = new Map<string, Set<string>>();
  const addAttribute = (name: string, value: string) => {
    let values = attributes.get(name);
    if (!values) attributes.set(name, (values = new Set()));
    values.add(value);
  };
  const given = user.attributes ?? {};
  if (Array.isArray(given)) {
    for (const { name, value } of given as readonly { name: string; value: string }[]) {
      addAttribute(name, value);
    }
  } else {
    for (const [name, value] of Object.entries(given as Record<string, string | string[]>)) {
      for (const v of typeof value === "string" ? [value] : value) addAttribute(name, v);
    }
  }
  return {
    groups: new Set(user.groups ?? []),
    attributes,
    purposes: [...new Set([...(user.purposes ?? []), ...projectPurposes])],
  };
}

export interface Verdict {
  readonly holds: boolean;
  readonly why: string;
}

/** The purpose the user acts under that meets `wanted` (it, or one of its sub-purposes). */
export function purposeMeeting(user: UserContext, wanted: string): string | undefined {
  return user.purposes.find(
    (p) => p === wanted || (p.startsWith(wanted) && p.charAt(wanted.length) === PURPOSE_SEPARATOR),
  );
}

function inGroup(user: UserContext, group: string): Verdict {
  const holds = user.groups.has(group);
  return { holds, why: `${holds ? "member" : "not a member"} of group ${group}` };
}

function hasAttribute(user: UserContext, attribute: Attribute): Verdict {
  const name = textValue(attribute.name);
  const value = textValue(attribute.value);
  const values = user.attributes.get(name);
  const holds = values?.has(value) ?? false;
  return {
    holds,
    why: holds
      ? `has attribute ${name}=${value}`
      : values
        ? `has ${name}=${[...values].join("|")}, not ${name}=${value}`
        : `has no attribute ${name}`,
  };
}

function actsUnder(user: UserContext, purpose: string): Verdict {
  const via = purposeMeeting(user, purpose);
  return {
    holds: via !== undefined,
    why:
      via === undefined
        ? `does not act under purpose ${purpose}`
        : via === purpose
          ? `acts under purpose ${purpose}`
          : `acts under purpose ${purpose} (as ${via})`,
  };
}

/** Conditions combined by `any` or `all`; no condition at all never holds. */
function combine(operator: "any" | "all", verdicts: readonly Verdict[], what: string): Verdict {
  if (verdicts.length === 0) return { holds: false, why: `${what} names no one` };
  const holding = verdicts.filter((v) => v.holds);
  if (operator === "all") {
    const failing = verdicts.filter((v) => !v.holds);
    return failing.length === 0
      ? { holds: true, why: verdicts.map((v) => v.why).join(" and ") }
      : {
          holds: false,
          why: `${what} needs all of its conditions: ${failing.map((v) => v.why).join(", ")}`,
        };
  }
  return holding.length > 0
    ? { holds: true, why: holding.map((v) => v.why).join(" and ") }
    : { holds: false, why: verdicts.map((v) => v.why).join(", ") };
}

/** Whether a rule's `exceptions` excuse the user ("for everyone except ..."). */
export function excusedBy(user: UserContext, exceptions: RuleExceptions): Verdict {
  const verdicts = [
    ...(exceptions.groups ?? []).map((g) => inGroup(user, textValue(g))),
    ...(exceptions.attributes ?? []).map((a) => hasAttribute(user, a)),
    ...(exceptions.purposes ?? []).map((p) => actsUnder(user, textValue(p))),
  ];
  return combine(exceptions.operator ?? DEFAULT_EXCEPTIONS_OPERATOR, verdicts, "exceptions");
}

/** Whether a rule's `inclusions` include the user ("for everyone who ..."). */
export function includedBy(
  user: UserContext,
  inclusions: { readonly groups: readonly Text[] },
): Verdict {
  return combine(
    "any",
    inclusions.groups.map((g) => inGroup(user, textValue(g))),
    "inclusions",
  );
}

/** Whether the user has the entitlements a subscription policy asks for. */
export function entitled(user: UserContext, entitlements: Entitlements): Verdict {
  const verdicts = [
    ...(entitlements.groups ?? []).map((g) => inGroup(user, textValue(g))),
    ...(entitlements.attributes ?? []).map((a) => hasAttribute(user, a)),
  ];
  return combine(entitlements.operator ?? DEFAULT_ENTITLEMENTS_OPERATOR, verdicts, "entitlements");
}
