import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { type DataConverter, defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { JitDecisionInput, JitRequestInput } from '../../model/jit';
import type { Identity } from '../../model/identity';
import type {
  Admission,
  DecisionRequest,
  Plan,
  Receipt,
  ResponseView,
  StepCheck,
  StepInput,
} from '../../model/response';
import { type BatchOutcome, isStepBatchActivity } from '../../api/step-batches';
import type { RecordedSignal } from '../../model/signal';
import { statusQuery } from '../../api/response-messages';
import { type HistoryDecoder, historyDecoder, type Payloads, timestampMs } from './history-payloads';

type History = Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>;
type HistoryEvent = NonNullable<History['events']>[number];

export type AuditEntryKind =
  'signal' | 'plan' | 'guard' | 'change' | 'undo' | 'tamper' | 'decision' | 'denied' | 'state' | 'failure';

export interface AuditEntry {
  at: string;
  kind: AuditEntryKind;
  /** The analyst, detector or worker behind the entry. */
  who?: string;
  summary: string;
  detail?: unknown;
}

export interface Audit {
  incident: string;
  runId: string;
  identity?: Identity;
  /** The kind of response its plan made it (contain, restrict until approved, ...). */
  kind?: string;
  playbook?: { id: string; version: number };
  finalState?: string;
  signals: RecordedSignal[];
  receipts: Receipt[];
  entries: AuditEntry[];
}

/** The marker the SDK records for a local activity: its result, and its type in the marker's data. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

const receiptLine = (receipt: Receipt) =>
  receipt.drift
    ? `${receipt.action} on ${receipt.target}: drift, ${receipt.drift.note} (expected ${JSON.stringify(receipt.drift.expected)}, found ${JSON.stringify(receipt.drift.observed)})`
    : `${receipt.action} on ${receipt.target}: ${JSON.stringify(receipt.before)} -> ${JSON.stringify(receipt.after)}${receipt.changed ? '' : ' (already so)'}`;

/**
 * Reads a response's workflow history (the audit record) and turns it into a timeline a reviewer can read
 * without the code: the signal, the plan, each change with before/after, each decision and denial with who
 * and why, each state the response went through, and how it ended.
 */
export async function auditOf(client: Client, incident: string, dataConverter: DataConverter): Promise<Audit> {
  const handle = client.workflow.getHandle(incident);
  const { runId, events } = await wholeHistory(client, incident);
  // The record says which signal-borne decisions were refused; signals themselves carry no outcome.
  const view = await handle.query(statusQuery).catch((error: unknown) => {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  });
  return auditFromHistory(incident, runId, events, historyDecoder(dataConverter), view);
}

/**
 * A response that continued as new has one history per run: the latest run's start names the run before,
 * back to the first. Returns the first run's id and every event in order.
 */
async function wholeHistory(client: Client, incident: string): Promise<{ runId: string; events: HistoryEvent[] }> {
  let runId: string | undefined = (await client.workflow.getHandle(incident).describe()).runId;
  let events: HistoryEvent[] = [];
  let first = runId;
  while (runId) {
    const history = await client.workflow.getHandle(incident, runId).fetchHistory();
    events = [...(history.events ?? []), ...events];
    first = runId;
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return { runId: first, events };
}

export async function auditFromHistory(
  incident: string,
  runId: string,
  events: HistoryEvent[],
  converter: HistoryDecoder,
  view?: ResponseView,
): Promise<Audit> {
  const audit: Audit = { incident, runId, signals: [], receipts: [], entries: [] };
  const activityTypes = new Map<string, string>();
  // The steps each batch was given (its outcomes name none): by the batch's scheduled event id.
  const batchSteps = new Map<string, Payloads>();
  const updates = new Map<string, AuditEntry>();
  const add = (entry: AuditEntry) => audit.entries.push(entry);

  const onState = (payload: Payload, at: string) => {
    // Search attributes are not encrypted (they hold ids and states only).
    const state = defaultPayloadConverter.fromPayload<string | string[]>(payload);
    audit.finalState = Array.isArray(state) ? state[0] : state;
    add({ at, kind: 'state', summary: `state: ${audit.finalState}` });
  };

  const onReceipt = (receipt: Receipt, at: string) => {
    audit.receipts.push(receipt);
    add({
      at,
      kind: receipt.operation === 'apply' ? 'change' : 'undo',
      who: receipt.actor,
      summary: receiptLine(receipt),
      detail: receipt,
    });
  };

  /** A batch of steps (api/step-batches.ts): each applied step's receipt; each failed one, tried again alone. */
  const onBatchResult = async (scheduledId: string, result: Payloads, at: string) => {
    const outcomes = (await converter.payload<BatchOutcome<Receipt>[]>(result)) ?? [];
    const inputs = (await converter.payload<StepInput[]>(batchSteps.get(scheduledId))) ?? [];
    outcomes.forEach((outcome, index) => {
      if ('ok' in outcome) return onReceipt(outcome.ok, at);
      const step = inputs[index]?.step;
      add({
        at,
        kind: 'failure',
        summary: `step ${step?.index ?? '?'} ${step?.action ?? 'in a batch'} on ${step?.target ?? '?'} failed in its batch (tried again on its own): ${outcome.failed}`,
      });
    });
  };

  const onResult = async (type: string, result: Payloads, at: string) => {
    if (type === 'planResponse') {
      const plan = await converter.payload<Plan | null>(result);
      if (plan) {
        audit.playbook = plan.playbook;
        audit.kind = plan.kind;
        const steps = [...plan.stages.flat(), ...plan.afterApproval].map((step) => `${step.action} on ${step.target}`);
        add({
          at,
          kind: 'plan',
          summary: `${plan.kind} response, playbook ${plan.playbook.id} v${plan.playbook.version}; identity tier ${plan.profile.tier}, approvers ${plan.approval.group}; steps: ${steps.join('; ')}`,
          detail: plan,
        });
      } else {
        add({ at, kind: 'plan', summary: 'no playbook matches the signal: nothing is changed' });
      }
    } else if (type === 'admitContainment') {
      const admission = await converter.payload<Admission>(result);
      if (admission)
        add({
          at,
          kind: 'guard',
          summary: admission.admitted
            ? `automatic containment admitted (${admission.reason})`
            : `automatic containment refused, approval required: ${admission.reason}`,
        });
    } else if (type.endsWith('.check')) {
      const check = await converter.payload<StepCheck>(result);
      if (check && !check.holds)
        add({
          at,
          kind: 'tamper',
          summary: `${check.action} on ${check.target}: changed back by someone else (expected ${JSON.stringify(check.expected)}, found ${JSON.stringify(check.observed)})`,
          detail: check,
        });
    } else if (type.endsWith('.apply') || type.endsWith('.compensate')) {
      const receipt = await converter.payload<Receipt>(result);
      if (receipt) onReceipt(receipt, at);
    }
  };

  for (const event of events) {
    const at = new Date(timestampMs(event.eventTime)).toISOString();
    const started = event.workflowExecutionStartedEventAttributes;
    // A run that continued as new starts with the same first signal: it is recorded once.
    if (started && !started.continuedExecutionRunId) {
      const signal = (await converter.payload<{ signal: RecordedSignal }>(started.input))?.signal;
      if (signal) {
        audit.identity = signal.identity;
        audit.signals.push(signal);
        add({
          at,
          kind: 'signal',
          who: signal.source,
          summary: `${signal.type} (${signal.severity}): ${signal.evidence.summary}`,
          detail: { id: signal.id, evidence: signal.evidence.url, requestedBy: signal.requestedBy },
        });
      }
    }
    // A response started by idra's client carries its first state from the start (a run that continued
    // as new carries the previous run's: not a state of its own).
    const startState =
      started && !started.continuedExecutionRunId ? started.searchAttributes?.indexedFields?.IdraState : undefined;
    if (startState) onState(startState, at);
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name) {
      activityTypes.set(String(event.eventId), scheduled.activityType.name);
      if (isStepBatchActivity(scheduled.activityType.name, 'apply'))
        batchSteps.set(String(event.eventId), scheduled.input);
    }

    // Activity results come as completions, or (local activities) as markers carrying their type.
    const completed = event.activityTaskCompletedEventAttributes;
    const completedType = completed ? (activityTypes.get(String(completed.scheduledEventId)) ?? '') : '';
    if (completed && isStepBatchActivity(completedType, 'apply'))
      await onBatchResult(String(completed.scheduledEventId), completed.result, at);
    else if (completed) await onResult(completedType, completed.result, at);
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName === LOCAL_ACTIVITY_MARKER) {
      // The marker's own data is the SDK's bookkeeping, written unencrypted.
      const meta = marker.details?.data?.payloads?.[0]?.data;
      const type = meta
        ? (JSON.parse(new TextDecoder().decode(meta)) as { activity_type?: string }).activity_type
        : undefined;
      await onResult(type ?? '', marker.details?.result, at);
    }
    const failed = event.activityTaskFailedEventAttributes;
    if (failed) {
      add({
        at,
        kind: 'failure',
        summary: `${activityTypes.get(String(failed.scheduledEventId)) ?? 'activity'} failed: ${await converter.failureMessage(failed.failure)}`,
      });
    }

    const signaled = event.workflowExecutionSignaledEventAttributes;
    if (signaled?.signalName === 'detection') {
      const signal = await converter.payload<RecordedSignal>(signaled.input);
      if (signal) {
        audit.signals.push(signal);
        add({
          at,
          kind: 'signal',
          who: signal.source,
          summary: `joined: ${signal.type} (${signal.severity}): ${signal.evidence.summary}`,
          detail: { id: signal.id, evidence: signal.evidence.url },
        });
      }
    } else if (signaled?.signalName) {
      const request = await converter.payload<DecisionRequest>(signaled.input);
      const denied = view?.deniedDecisions.find(
        (d) => d.kind === signaled.signalName && d.analyst === request?.analyst && d.reason === request?.reason,
      );
      add({
        at,
        kind: denied ? 'denied' : 'decision',
        who: request?.analyst,
        summary: `${signaled.signalName} (signal): ${request?.reason ?? ''}${denied ? ` — denied: ${denied.problem}` : ''}`,
      });
    }

    // An update is entered when accepted; if its handler then refused it, the entry becomes a denial.
    const accepted = event.workflowExecutionUpdateAcceptedEventAttributes;
    if (accepted?.acceptedRequest?.meta?.updateId && accepted.acceptedRequest.input?.name) {
      const request = await converter.payload<DecisionRequest & Partial<JitRequestInput & JitDecisionInput>>(
        accepted.acceptedRequest.input.args,
      );
      const { name } = accepted.acceptedRequest.input;
      // A just-in-time request names its privilege and duration; a decision on one, its grant.
      const about = request?.privilege
        ? ` ${request.privilege} for ${request.duration ?? '?'}`
        : request?.grant
          ? ` ${request.grant}`
          : '';
      const entry: AuditEntry = {
        at,
        kind: 'decision',
        who: request?.analyst ?? request?.requester,
        summary: `${name}${about}: ${request?.reason ?? ''}`,
      };
      updates.set(accepted.acceptedRequest.meta.updateId, entry);
      add(entry);
    }
    const updated = event.workflowExecutionUpdateCompletedEventAttributes;
    const entry = updated?.meta?.updateId ? updates.get(updated.meta.updateId) : undefined;
    if (entry && updated?.outcome?.failure) {
      entry.kind = 'denied';
      entry.summary += ` — denied: ${await converter.failureMessage(updated.outcome.failure)}`;
    }

    const workflowFailed = event.workflowExecutionFailedEventAttributes;
    if (workflowFailed)
      add({
        at,
        kind: 'failure',
        summary: `the response failed: ${await converter.failureMessage(workflowFailed.failure)}`,
      });

    const upserted = event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.IdraState;
    if (upserted) onState(upserted, at);
  }
  return audit;
}
