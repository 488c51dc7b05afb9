import { Client, type Connection, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { type Identity, identityKey } from '../model/identity';
import type { DecisionRequest, ResponseView } from '../model/response';
import { type RecordedSignal, signalSchema } from '../model/signal';
import { RESPONSE_TASK_QUEUE } from '../model/task-queues';
import { parseOrThrow } from '../model/validation';
import { LEAKED_AWS_ACCESS_KEY, type Playbook } from '../policy/playbook';
import { approveUpdate, detectionSignal, rollbackUpdate, statusQuery } from '../workflows/messages';
import type { respondToIdentityRisk } from '../workflows/response';

export interface RespondResult {
  incident: string;
  runId: string;
  /** True when the signal joined a response already open for the same identity. */
  joined: boolean;
}

/** The incident id of an identity's response: the same credential always maps to the same one. */
export function incidentId(identity: Identity): string {
  return `idra-${identityKey(identity)}`;
}

/** Validates a signal (throwing a ValidationError that names each bad field) and gives it an id if it has none. */
export function recordSignal(input: unknown): RecordedSignal {
  const parsed = parseOrThrow(signalSchema, input, 'signal');
  return { ...parsed, id: parsed.id ?? `${parsed.source}:${randomUUID()}` };
}

/** The typed client detection systems and analysts use; the CLI is a thin layer over it. */
export class IdraClient {
  readonly client: Client;

  constructor(connection: Connection, namespace: string, private readonly playbook: Playbook = LEAKED_AWS_ACCESS_KEY) {
    this.client = new Client({ connection, namespace });
  }

  /**
   * Starts a response to a signal, or adds the signal to the open response for the same identity.
   * The signal is validated first: bad input throws a ValidationError and starts or changes nothing.
   */
  async respond(input: unknown): Promise<RespondResult> {
    const signal = recordSignal(input);
    const workflowId = incidentId(signal.identity);
    // Start, or join: a response that closes between the two calls is simply started again.
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const handle = await this.client.workflow.start<typeof respondToIdentityRisk>('respondToIdentityRisk', {
          workflowId,
          taskQueue: RESPONSE_TASK_QUEUE,
          args: [{ signal, playbook: this.playbook }],
          workflowIdConflictPolicy: 'FAIL',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
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

  /** Keeps the containment and closes the response as confirmed; returns the final record. */
  approve(incident: string, request: DecisionRequest): Promise<ResponseView> {
    return this.client.workflow.getHandle(incident).executeUpdate(approveUpdate, { args: [request] });
  }

  /** Undoes every change in reverse order; returns the record once the rollback has finished. */
  rollback(incident: string, request: DecisionRequest): Promise<ResponseView> {
    return this.client.workflow.getHandle(incident).executeUpdate(rollbackUpdate, { args: [request] });
  }

  /** The response's state and every change it made; works on open and closed responses alike. */
  status(incident: string): Promise<ResponseView> {
    return this.client.workflow.getHandle(incident).query(statusQuery);
  }
}
