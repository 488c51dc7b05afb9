import { defineSearchAttributeKey, type SearchAttributePair, SearchAttributeType } from '@temporalio/common';
import type { ResponseKind } from './response-kinds';
import type { ResponseState } from './response-states';
import type { Severity } from './signal-types';

// Keys registered on the Temporal server (scripts register them on the dev server) so analysts can find
// responses in the UI, e.g. `IdraState = "awaiting_decision" AND IdraSeverity = "critical"`.
// They are not encrypted: ids and states only, never evidence or secrets.
export const IDRA_IDENTITY = defineSearchAttributeKey('IdraIdentity', SearchAttributeType.KEYWORD);
export const IDRA_KIND = defineSearchAttributeKey('IdraKind', SearchAttributeType.KEYWORD);
export const IDRA_PROVIDER = defineSearchAttributeKey('IdraProvider', SearchAttributeType.KEYWORD);
export const IDRA_ACCOUNT = defineSearchAttributeKey('IdraAccount', SearchAttributeType.KEYWORD);
export const IDRA_STATE = defineSearchAttributeKey('IdraState', SearchAttributeType.KEYWORD);
export const IDRA_SEVERITY = defineSearchAttributeKey('IdraSeverity', SearchAttributeType.KEYWORD);
export const IDRA_PLAYBOOK = defineSearchAttributeKey('IdraPlaybook', SearchAttributeType.KEYWORD);
/** Set ("true") once the watch found a contained target changed back by someone else. */
export const IDRA_TAMPERED = defineSearchAttributeKey('IdraTampered', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTE_KEYS = [
  IDRA_IDENTITY,
  IDRA_KIND,
  IDRA_PROVIDER,
  IDRA_ACCOUNT,
  IDRA_STATE,
  IDRA_SEVERITY,
  IDRA_PLAYBOOK,
  IDRA_TAMPERED,
];

/** What a new response is found by from its start. */
export interface StartFacts {
  incident: string;
  kind: ResponseKind;
  provider: string;
  account: string;
  severity: Severity;
  state: ResponseState;
}

/**
 * The search attributes of a new response: the client sets them when it starts the workflow (no history
 * event of their own), and the workflow sets them itself when started without them (e.g. from the UI).
 */
export function startSearchAttributes(facts: StartFacts): SearchAttributePair[] {
  return [
    { key: IDRA_IDENTITY, value: facts.incident },
    { key: IDRA_KIND, value: facts.kind },
    { key: IDRA_PROVIDER, value: facts.provider },
    { key: IDRA_ACCOUNT, value: facts.account },
    { key: IDRA_SEVERITY, value: facts.severity },
    { key: IDRA_STATE, value: facts.state },
  ];
}
