import type { AnyAction } from './action';
import { stepActivities, type StepActivity } from './run-action';

/** The activities a provider worker registers for its actions: four per action, named `<action>.<operation>`. */
export function actionActivities(actions: AnyAction[], actor: string): Record<string, StepActivity> {
  return Object.assign({}, ...actions.map((action) => stepActivities(action, actor))) as Record<string, StepActivity>;
}
