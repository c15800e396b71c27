/**
 * The access simulator's choices where Immuta's documentation does not say what happens (the
 * spec's [ours]), in one place with their reasons, so that each can be checked against a real
 * tenant and corrected here. Every answer that rests on one of them names the policy or rule it
 * chose and says "(ours, see src/access/choices.ts)", so a reader is never left guessing.
 * Values are below; choices that are behaviour rather than a value are listed here with where
 * they live.
 *
 * How policies combine:
 * - Two subscription policies on one data source: see `SUBSCRIPTION_RESTRICTIVENESS`.
 * - Two masking rules of different policies on one column: the rule whose matching field names
 *   the deeper tag wins (Immuta's "Data policy conflicts" says "the policy containing a tag deeper
 *   in the hierarchy will apply", though its example's last sentence says the opposite); at equal
 *   depth (and for `noTags`/`columnRegex` fields, depth 0) the first `policyKey` in string
 *   order (as JavaScript compares), so the answer does not depend on the order of the payloads.
 *   The choice is made per column whoever the user is (Immuta settles conflicts when it applies
 *   policies to a data source, not per query): a user excused from the winning rule is not
 *   masked by the losing one (`masking.ts`).
 * - Row-level rules of several policies (where clauses, entitlement and time restrictions,
 *   minimization) all apply: rows must pass every one. Purpose restrictions likewise: the user must
 *   meet each. AND is the reading under which no policy is silently ignored (`rows.ts`).
 * - Within one policy, rules of one type read as Immuta's builder writes them ("for everyone who
 *   ..., otherwise ..."): the first rule whose `inclusions` include the user (a rule without
 *   inclusions includes everyone) decides. A user that rule's `exceptions` excuse is not caught by
 *   a later "otherwise" rule: the otherwise rule is for the users earlier rules do not target
 *   (`data-rules.ts` `userRule`).
 *
 * How a user is matched:
 * - `exceptions` without `operator`: `any`, as in every documented example; `inclusions.groups`:
 *   membership of any one group includes the user (`user.ts`).
 * - An entitlements policy without `operator`: `any`, as `circumstanceOperator` defaults to
 *   `any`; one naming neither groups nor attributes admits no one (`user.ts`).
 * - An entitlements policy with both `advanced` (the DSL) and builder `entitlements`: the DSL
 *   decides, as Immuta's UI builds a policy with one or the other. In the DSL,
 *   `@isInGroups('A', 'B')` holds for a member of any one group; a function or variable the
 *   simulator does not know (`@database`, `@hostname`, `@iam`, ...) makes the answer `unknown`,
 *   with a warning, never a grant (`advanced.ts`).
 * - Sub-purposes (`PURPOSE_SEPARATOR`): acting under `Research.Clinical` meets a restriction or
 *   exception naming `Research`; acting under `Research` does not meet one naming
 *   `Research.Clinical` (a sub-purpose narrows its parent, as tags do).
 *
 * What the answers mean:
 * - No subscription policy applies: Immuta's default subscription policy ("None") leaves table
 *   access to the data platform's own grants, which the simulator cannot see, so the data source
 *   is "not visible" (access `none`), never a guessed grant (`evaluator.ts` `blockedBy`).
 * - "Visible" means the user can query the data source without anyone else acting: subscribed
 *   automatically, or free to subscribe (`self`). Approval and manual subscriptions count only
 *   with the `assumeApproved` option.
 * - A data source's owners, for `ownerRestrictions`, are its connection payload's `owners` plus
 *   the caller (Immuta keeps the caller as an owner). With no `owners` and no known caller they
 *   are unknown, and an owner-restricted policy is listed but not enforced (`circumstances.ts`).
 * - Masking types are reported as `maskingConfig.type` gives them (`Hash`, `Constant`, `Null`,
 *   `Regex`, `Rounding`, `Format Preserving Masking`, ...) with the rest of `maskingConfig`: the
 *   simulator says which rule masks a column and how, not what the masked value looks like.
 *   Configs of other rules are read by the payload model's field names (`predicate`, `percent`,
 *   `time`/`unit`, `purposes`, `matches`) and otherwise shown as given (`rows.ts`).
 *
 * Documented behaviour the simulator follows, for contrast:
 * - Tags are hierarchical: a circumstance or masking field on `PII` also matches `PII.Email`.
 * - `circumstanceOperator` defaults to `any`; no circumstances means every data source.
 * - Staged policies are not enforced; the simulator still lists them, flagged, and names the
 *   columns their masking rules would mask.
 * - Entitlement (ABAC) subscription policies that grant access combine with OR (Immuta's
 *   subscription policies reference, "Policy merging").
 * - Acting under a project, a user sees only the project's data sources (Immuta's projects
 *   reference) and acts under its purposes; a project without `subscriptionPolicy` is joined
 *   manually (the V2 docs' default).
 */
import type { SubscriptionActions } from "../payload/types";

/**
 * Tags are hierarchical at this separator: the embedded server's `TAG_SEPARATOR` (in
 * src/server/choices.ts) must agree, and a property test checks that they do.
 */
export const TAG_SEPARATOR = ".";

/** Sub-purposes carry their parent's name before this separator: `Research.Clinical`. */
export const PURPOSE_SEPARATOR = ".";

/**
 * Subscription policies of different restriction levels on one data source (Immuta: Anyone,
 * Approval and Individual users "conflict"; its docs do not say which then wins, and the V2 payload
 * has no "always required" switch): the most restrictive level decides, entitlement policies
 * counting as one (merged with OR, as documented). Most restrictive, so that a simulated "may
 * subscribe" holds whichever way a real tenant resolves the conflict. The order follows Immuta's
 * own ranking (Anyone least, Individual users most); of its two "moderately restricted" levels,
 * entitlements rank above approval because approval is open to anyone who asks. Two policies of
 * one level: the first `policyKey` in string order decides.
 */
export const SUBSCRIPTION_RESTRICTIVENESS: Record<SubscriptionActions["type"], number> = {
  anyone: 1,
  approval: 2,
  entitlements: 3,
  manual: 4,
};

/** See "How a user is matched" above. */
export const DEFAULT_EXCEPTIONS_OPERATOR = "any";
export const DEFAULT_ENTITLEMENTS_OPERATOR = "any";
