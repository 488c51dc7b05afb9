import type { Plan } from '../model/response';
import type { Signal } from '../model/signal';
import { bindStep } from './bind-step';
import type { Playbook } from './playbook';

/** The steps a playbook takes for a signal, each bound to its target. Pure and deterministic. */
export function planResponse(signal: Signal, playbook: Playbook, incident: string): Plan {
  return {
    playbook: { id: playbook.id, version: playbook.version },
    steps: playbook.steps.map((action, index) => ({
      index,
      action,
      provider: signal.identity.provider,
      ...bindStep(action, signal.identity, incident),
    })),
  };
}
