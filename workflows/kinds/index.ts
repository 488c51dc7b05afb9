import type { ResponseKind } from '../../model/response-kinds';
import { containFlow } from './contain';
import type { KindFlow } from './kind-flow';
import { justInTimeFlow } from './just-in-time';
import { restrictUntilApprovedFlow } from './restrict-until-approved';

/** Every kind of response and what it does: the shell runs the one its plan names. */
export const KIND_FLOWS: Record<ResponseKind, KindFlow> = {
  contain: containFlow,
  restrict_until_approved: restrictUntilApprovedFlow,
  just_in_time: justInTimeFlow,
};
