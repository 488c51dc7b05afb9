import type { Identity } from '../../model/identity';
import { ACTION_CATALOG, identityKind } from '../../providers/catalog';
import type { Receipt } from '../../model/response';
import type { RecordedSignal } from '../../model/signal';
import type { Severity } from '../../model/signal-types';
import type { Audit } from './audit-from-history';

// OCSF 1.1: each signal is a Detection Finding (class 2004, Findings); each change idra made or undid is an
// Account Change (class 3001, Identity & Access Management). Decisions and state changes have no fitting
// class and are left to the md/json formats.
const METADATA = { version: '1.1.0', product: { name: 'idra', vendor_name: 'idra' } };
const SEVERITY_ID: Record<Severity, number> = { low: 2, medium: 3, high: 4, critical: 5 };

/** The principal an Account Change names: the identity's user or role, without credential ids. */
function principalOf(identity: Identity): { name: string; uid: string; type: string } {
  const { name, uid, type } = identityKind(identity).ocsfUser(identity);
  return { name, uid, type };
}

function detectionFinding(signal: RecordedSignal): Record<string, unknown> {
  return {
    class_uid: 2004,
    category_uid: 2,
    activity_id: 1,
    type_uid: 200401,
    time: Date.parse(signal.observedAt),
    severity_id: SEVERITY_ID[signal.severity],
    metadata: METADATA,
    finding_info: {
      uid: signal.id,
      title: signal.type,
      desc: signal.evidence.summary,
      src_url: signal.evidence.url,
      types: [signal.type],
    },
    resources: [identityKind(signal.identity).ocsfUser(signal.identity)],
    unmapped: { source: signal.source },
  };
}

function accountChange(receipt: Receipt, identity: Identity): Record<string, unknown> {
  // Each action names its Account Change activity ids (2 Enable, 5 Disable, 6 Delete, 7 Attach Policy, 8 Detach Policy); 99 Other.
  const activityId = ACTION_CATALOG.get(receipt.action)?.ocsfActivity?.[receipt.operation] ?? 99;
  return {
    class_uid: 3001,
    category_uid: 3,
    activity_id: activityId,
    type_uid: 300100 + activityId,
    time: Date.parse(receipt.at),
    severity_id: 1,
    status_id: receipt.drift ? 2 : 1,
    metadata: METADATA,
    message: `${receipt.operation} ${receipt.action} on ${receipt.target}`,
    user: principalOf(identity),
    actor: { app_name: 'idra', user: { name: receipt.actor } },
    unmapped: {
      incident: receipt.incident,
      step: receipt.step,
      before: receipt.before,
      after: receipt.after,
      changed: receipt.changed,
      drift: receipt.drift,
    },
  };
}

export function toOcsf(audit: Audit): Record<string, unknown>[] {
  const identity = audit.identity;
  if (!identity) return [];
  return [...audit.signals.map(detectionFinding), ...audit.receipts.map((receipt) => accountChange(receipt, identity))];
}
