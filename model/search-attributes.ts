import { defineSearchAttributeKey, type SearchAttributePair, SearchAttributeType } from '@temporalio/common';
import { identityAccount } from './identity';
import type { ResponseState } from './response';
import type { RecordedSignal } from './signal';

// Keys registered on the Temporal server (scripts register them on the dev server) so analysts can find
// responses in the UI, e.g. `IdraState = "awaiting_decision" AND IdraSeverity = "critical"`.
// They are not encrypted: ids and states only, never evidence or secrets.
export const IDRA_IDENTITY = defineSearchAttributeKey('IdraIdentity', SearchAttributeType.KEYWORD);
export const IDRA_PROVIDER = defineSearchAttributeKey('IdraProvider', SearchAttributeType.KEYWORD);
export const IDRA_ACCOUNT = defineSearchAttributeKey('IdraAccount', SearchAttributeType.KEYWORD);
export const IDRA_STATE = defineSearchAttributeKey('IdraState', SearchAttributeType.KEYWORD);
export const IDRA_SEVERITY = defineSearchAttributeKey('IdraSeverity', SearchAttributeType.KEYWORD);
export const IDRA_PLAYBOOK = defineSearchAttributeKey('IdraPlaybook', SearchAttributeType.KEYWORD);
/** Set ("true") once the watch found a contained target changed back by someone else. */
export const IDRA_TAMPERED = defineSearchAttributeKey('IdraTampered', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTE_KEYS = [IDRA_IDENTITY, IDRA_PROVIDER, IDRA_ACCOUNT, IDRA_STATE, IDRA_SEVERITY, IDRA_PLAYBOOK, IDRA_TAMPERED];

/**
 * What a new response is found by from its start: the client sets these when it starts the workflow (no
 * history event of their own), and the workflow sets them itself when started without them (e.g. from the UI).
 */
export function startSearchAttributes(incident: string, signal: RecordedSignal, state: ResponseState): SearchAttributePair[] {
  return [
    { key: IDRA_IDENTITY, value: incident },
    { key: IDRA_PROVIDER, value: signal.identity.provider },
    { key: IDRA_ACCOUNT, value: identityAccount(signal.identity) },
    { key: IDRA_SEVERITY, value: signal.severity },
    { key: IDRA_STATE, value: state },
  ];
}
