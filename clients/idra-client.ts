import {
  Client,
  type Connection,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import type { DataConverter, UpdateDefinition } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { GUARD_WORKFLOW_ID, type GuardLimits, type GuardStatus, guardStatusAt } from '../model/guard';
import { identityAccount, incidentId, kindOf } from '../model/identity';
import type { DecisionKind, DecisionRequest, ResponseView } from '../model/response';
import { FIRST_STATE } from '../model/response-states';
import { startSearchAttributes } from '../model/search-attributes';
import { type RecordedSignal, signalSchema } from '../model/signal';
import { RESPONSE_TASK_QUEUE, WORKFLOW_TASK_TIMEOUT } from '../model/task-queues';
import { parseOrThrow } from '../model/validation';
import { guardStatusQuery, pauseUpdate, resumeUpdate, setLimitsUpdate } from '../api/guard-messages';
import { updateGuard } from './guard-handle';
import { DECISION_MESSAGES, detectionSignal, statusQuery } from '../api/response-messages';
import { jitApproveUpdate, jitDenyUpdate, jitRequestUpdate, jitRevokeUpdate } from '../api/jit-messages';
import type { JitDecisionInput, JitGrant, JitRequestInput } from '../model/jit';
import type { respondToIdentityRisk } from '../workflows/response';

export interface RespondResult {
  incident: string;
  runId: string;
  /** True when the signal joined a response already open for the same identity. */
  joined: boolean;
}

/** Validates a signal (throwing a ValidationError that names each bad field) and gives it an id if it has none. */
export function recordSignal(input: unknown): RecordedSignal {
  const parsed = parseOrThrow(signalSchema, input, 'signal');
  return { ...parsed, id: parsed.id ?? `${parsed.source}:${randomUUID()}` };
}

/** The typed client detection systems and analysts use; the CLI is a thin layer over it. */
export class IdraClient {
  readonly client: Client;

  /**
   * `assertionFor` supplies the analyst's signed token for a decision that does not carry one (from
   * configuration, or minted with a local development secret).
   */
  constructor(
    connection: Connection,
    namespace: string,
    readonly dataConverter: DataConverter,
    private readonly assertionFor?: (analyst: string, incident: string) => Promise<string | undefined>,
  ) {
    this.client = new Client({ connection, namespace, dataConverter });
  }

  /**
   * Starts a response to a signal, or adds the signal to the open response for the same identity.
   * The signal is validated first: bad input throws a ValidationError and starts or changes nothing.
   */
  async respond(input: unknown): Promise<RespondResult> {
    const recorded = recordSignal(input);
    const kind = kindOf(recorded.type);
    const workflowId = incidentId(recorded.identity, kind);
    // A raiser counts only with their token: the client supplies it when it can mint or has one.
    const raiserToken =
      recorded.requestedBy && !recorded.requestedByAssertion
        ? await this.assertionFor?.(recorded.requestedBy, workflowId)
        : undefined;
    const signal = raiserToken ? { ...recorded, requestedByAssertion: raiserToken } : recorded;
    // Start, or join: a response that closes between the two calls is simply started again.
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const handle = await this.client.workflow.start<typeof respondToIdentityRisk>('respondToIdentityRisk', {
          workflowId,
          taskQueue: RESPONSE_TASK_QUEUE,
          args: [{ signal }],
          workflowIdConflictPolicy: 'FAIL',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
          workflowTaskTimeout: WORKFLOW_TASK_TIMEOUT,
          typedSearchAttributes: startSearchAttributes({
            incident: workflowId,
            kind,
            provider: signal.identity.provider,
            account: identityAccount(signal.identity),
            severity: signal.severity,
            state: FIRST_STATE,
          }),
        });
        return { incident: workflowId, runId: handle.firstExecutionRunId, joined: false };
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
      try {
        const handle = this.client.workflow.getHandle(workflowId);
        await handle.signal(detectionSignal, signal);
        const { runId } = await handle.describe();
        return { incident: workflowId, runId, joined: true };
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    }
    throw new Error(`could not start or join the response ${workflowId}: it kept closing and reopening`);
  }

  /**
   * An analyst's decision: approve (enough approvers: contain if waiting, else keep it and run the
   * after-approval steps), confirm (keep containment), reject (drop a response waiting for approval),
   * rollback (undo every change). Resolves with the response once the decision has played out; a refused
   * decision rejects with the reason (and is recorded in the response).
   */
  async decide(kind: DecisionKind, incident: string, request: DecisionRequest): Promise<ResponseView> {
    const assertion = request.assertion ?? (await this.assertionFor?.(request.analyst, incident));
    return this.client.workflow
      .getHandle(incident)
      .executeUpdate(DECISION_MESSAGES[kind].update, { args: [{ ...request, assertion }] });
  }

  approve(incident: string, request: DecisionRequest): Promise<ResponseView> {
    return this.decide('approve', incident, request);
  }

  rollback(incident: string, request: DecisionRequest): Promise<ResponseView> {
    return this.decide('rollback', incident, request);
  }

  /**
   * Asks a just_in_time response's path for a privilege, for a while (at most the playbook's maximum).
   * Resolves with the request (`requested`), to be approved by the path's approvers; a refused request
   * rejects with the reason.
   */
  async jitRequest(incident: string, request: JitRequestInput): Promise<JitGrant> {
    const assertion = request.assertion ?? (await this.assertionFor?.(request.requester, incident));
    return this.client.workflow
      .getHandle(incident)
      .executeUpdate(jitRequestUpdate, { args: [{ ...request, assertion }] });
  }

  /** An approver's yes to a request: with enough of them, resolves once the grant is written with its end. */
  jitApprove(incident: string, decision: JitDecisionInput): Promise<JitGrant> {
    return this.jitDecide(jitApproveUpdate, incident, decision);
  }

  jitDeny(incident: string, decision: JitDecisionInput): Promise<JitGrant> {
    return this.jitDecide(jitDenyUpdate, incident, decision);
  }

  /** Ends an active grant early; resolves once it is removed. */
  jitRevoke(incident: string, decision: JitDecisionInput): Promise<JitGrant> {
    return this.jitDecide(jitRevokeUpdate, incident, decision);
  }

  private async jitDecide(
    update: UpdateDefinition<JitGrant, [JitDecisionInput]>,
    incident: string,
    decision: JitDecisionInput,
  ): Promise<JitGrant> {
    const assertion = decision.assertion ?? (await this.assertionFor?.(decision.analyst, incident));
    return this.client.workflow.getHandle(incident).executeUpdate(update, { args: [{ ...decision, assertion }] });
  }

  /** The response's state and every change it made; works on open and closed responses alike. */
  status(incident: string): Promise<ResponseView> {
    return this.client.workflow.getHandle(incident).query(statusQuery);
  }

  /** Kill switch: from now on every response waits for approval before changing anything. */
  pause(request: DecisionRequest): Promise<GuardStatus> {
    return this.guardUpdate(pauseUpdate, request);
  }

  resume(request: DecisionRequest): Promise<GuardStatus> {
    return this.guardUpdate(resumeUpdate, request);
  }

  /** Changes the blast-radius limits: an analyst's verified decision, recorded in the guard's history. */
  setGuardLimits(request: DecisionRequest, limits: GuardLimits): Promise<GuardStatus> {
    return this.guardUpdate(setLimitsUpdate, { ...request, limits });
  }

  /** The kill switch, the limits and the counts within the window ending now. */
  async guardStatus(): Promise<GuardStatus> {
    try {
      return guardStatusAt(await this.client.workflow.getHandle(GUARD_WORKFLOW_ID).query(guardStatusQuery), Date.now());
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return guardStatusAt({}, Date.now());
      throw error;
    }
  }

  private async guardUpdate<Request extends DecisionRequest>(
    update: UpdateDefinition<GuardStatus, [Request]>,
    request: Request,
  ): Promise<GuardStatus> {
    const assertion = request.assertion ?? (await this.assertionFor?.(request.analyst, GUARD_WORKFLOW_ID));
    return updateGuard(this.client, update, { ...request, assertion });
  }
}
