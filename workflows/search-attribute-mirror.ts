import type { SearchAttributePair } from '@temporalio/common';
import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Plan } from '../model/response';
import type { ResponseState } from '../model/response-states';
import {
  IDRA_PLAYBOOK,
  IDRA_STATE,
  IDRA_TAMPERED,
  type StartFacts,
  startSearchAttributes,
} from '../model/search-attributes';

const playbookRef = (plan: Plan) => `${plan.playbook.id}@${plan.playbook.version}`;

/**
 * Mirrors what analysts search by into the response's search attributes (ids and states only, never
 * evidence). Each upsert is a history event, so what is not urgent waits for the next state change.
 */
export class SearchAttributeMirror {
  private queued: SearchAttributePair[] = [];

  /**
   * A response's attributes from its start: idra's client already set them when it started the workflow;
   * one started otherwise (e.g. from the UI), or a run that continued as new, sets them here.
   */
  showStart(facts: StartFacts, extra: { plan?: Plan; tampered?: boolean }): void {
    const wanted = [
      ...startSearchAttributes(facts),
      ...(extra.plan ? [{ key: IDRA_PLAYBOOK, value: playbookRef(extra.plan) }] : []),
      ...(extra.tampered ? [{ key: IDRA_TAMPERED, value: 'true' }] : []),
    ];
    if (wanted.every(({ key, value }) => workflowInfo().typedSearchAttributes.get(key) === value)) return;
    upsertSearchAttributes(wanted);
  }

  /** The playbook is shown with the next state (a response moves on within the same workflow task or the next). */
  showPlaybookNext(plan: Plan): void {
    this.queued.push({ key: IDRA_PLAYBOOK, value: playbookRef(plan) });
  }

  showState(state: ResponseState): void {
    upsertSearchAttributes([...this.queued, { key: IDRA_STATE, value: state }]);
    this.queued = [];
  }

  /** Tampering is shown at once: it is what an analyst must find first. */
  showTampered(): void {
    upsertSearchAttributes([{ key: IDRA_TAMPERED, value: 'true' }]);
  }
}
