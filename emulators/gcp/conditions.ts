/**
 * IAM Conditions as the local GCP evaluates them: the CEL subset time-boxed bindings use, comparisons of
 * `request.time` with a `timestamp("RFC 3339")`, joined by `&&`. As in IAM, a condition that cannot be
 * evaluated grants nothing (the binding does not apply).
 */
const COMPARISON = /^request\.time\s*(<=|>=|<|>)\s*timestamp\(\s*"([^"]+)"\s*\)$/;

const COMPARE: Record<string, (time: number, bound: number) => boolean> = {
  '<': (time, bound) => time < bound,
  '<=': (time, bound) => time <= bound,
  '>': (time, bound) => time > bound,
  '>=': (time, bound) => time >= bound,
};

export function conditionHolds(expression: string, requestTime: number): boolean {
  return expression.split('&&').every((part) => {
    const [, operator = '', stamp = ''] = COMPARISON.exec(part.trim()) ?? [];
    const bound = Date.parse(stamp);
    const compare = COMPARE[operator];
    return compare !== undefined && !Number.isNaN(bound) && compare(requestTime, bound);
  });
}
