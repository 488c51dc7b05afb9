import { describe, expect, it } from 'vitest';
import { approvalMet, decisionProblem, type DecisionStanding } from '../model/decision-policy';
import type { Decision, Plan } from '../model/response';
import { RESPONSE_STATES, type ResponseState } from '../model/response-states';

const plan = {
  kind: 'contain',
  approval: {
    group: 'oncall',
    approvers: ['alice', 'bob', 'dana'],
    required: 2,
    fourEyes: true,
    beforeContainment: [],
  },
  decision: { timeout: '1h', onTimeout: 'escalate', escalateTo: 'leads', escalationApprovers: ['carol'] },
} as unknown as Plan;

const decision = (kind: Decision['kind'], analyst: string): Decision => ({
  kind,
  analyst,
  reason: 'r',
  at: '2026-12-01T00:00:00Z',
});
const standing = (overrides: Partial<DecisionStanding> = {}): DecisionStanding => ({
  state: 'awaiting_decision',
  plan,
  raisedBy: [],
  roundApprovers: [],
  ...overrides,
});

describe('the decision policy, the same for every kind of response (pure: no server)', () => {
  it('takes only what the state takes, naming the state and what it takes', () => {
    expect(decisionProblem(decision('reject', 'alice'), standing())).toBe(
      'the response is awaiting_decision: it takes approve, confirm, rollback, cancel, not reject',
    );
    expect(decisionProblem(decision('approve', 'alice'), standing({ state: 'rolling_back' }))).toBe(
      'the response is rolling_back and takes no decisions',
    );
    expect(decisionProblem(decision('approve', 'alice'), standing({ state: 'restricted' }))).toBeUndefined();
  });

  it('refuses outsiders, raisers under four-eyes and a second approval by the same analyst', () => {
    expect(decisionProblem(decision('approve', 'mallory'), standing())).toBe(
      'mallory is not in the approver group oncall',
    );
    expect(decisionProblem(decision('approve', 'alice'), standing({ raisedBy: ['alice'] }))).toBe(
      'four-eyes: alice raised this response and cannot decide on it',
    );
    expect(decisionProblem(decision('approve', 'bob'), standing({ roundApprovers: ['bob'] }))).toBe(
      'bob has already approved; 2 different approvers are needed',
    );
  });

  it('lets the escalation group decide once escalated, and nothing counts after a decision is taken', () => {
    expect(decisionProblem(decision('approve', 'carol'), standing())).toBe('carol is not in the approver group oncall');
    expect(
      decisionProblem(decision('approve', 'carol'), standing({ state: 'escalated', escalatedTo: 'leads' })),
    ).toBeUndefined();
    expect(decisionProblem(decision('rollback', 'bob'), standing({ taken: decision('cancel', 'alice') }))).toBe(
      'already decided: cancel by alice at 2026-12-01T00:00:00Z',
    );
  });

  it('counts approvals towards the required number', () => {
    expect(approvalMet(['alice'], plan)).toBe(false);
    expect(approvalMet(['alice', 'bob'], plan)).toBe(true);
  });

  it('has one table of states: a final state takes no decision, a busy state is never final', () => {
    for (const [state, facts] of Object.entries(RESPONSE_STATES) as [
      ResponseState,
      (typeof RESPONSE_STATES)[ResponseState],
    ][]) {
      if (facts.final) expect([state, facts.accepts]).toEqual([state, []]);
      expect([state, facts.final && facts.busy]).toEqual([state, false]);
    }
  });
});
