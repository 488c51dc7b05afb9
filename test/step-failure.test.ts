import { type ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { NON_RETRYABLE_STEP_ERRORS } from '../api/step-errors';
import { awsCall } from '../providers/aws/sdk/aws-context';
import { azureFailure } from '../providers/azure/sdk/azure-context';
import { gcpFailure } from '../providers/gcp/sdk/gcp-context';

/** An AWS SDK error as the SDK throws it (name, fault and status from the response). */
function awsError(name: string, status: number, fault: 'client' | 'server'): Error {
  return Object.assign(new Error(`${name} happened`), { name, $fault: fault, $metadata: { httpStatusCode: status } });
}

const awsFailure = (error: Error) =>
  awsCall(Promise.reject(error), 'IAM user u').catch((caught: unknown) => caught as ApplicationFailure);
const sorted = (failure: ApplicationFailure) => ({
  type: failure.type,
  nonRetryable: failure.nonRetryable,
  nextRetryDelay: failure.nextRetryDelay,
});

describe('one vocabulary of step failures: each provider maps only its own codes', () => {
  it('derives what is retried from the failure type, not from where it was thrown', () => {
    expect([...NON_RETRYABLE_STEP_ERRORS].sort()).toEqual([
      'AccessDenied',
      'InvalidConfiguration',
      'InvalidParams',
      'Irreversible',
      'NoSuchEntity',
      'ProviderRejected',
      'WrongAccount',
    ]);
  });

  it('AWS: a missing entity and a denial fail at once; throttling on 400 is throttling, not a rejected request', async () => {
    expect(sorted(await awsFailure(awsError('NoSuchEntity', 404, 'client')))).toEqual({
      type: 'NoSuchEntity',
      nonRetryable: true,
      nextRetryDelay: undefined,
    });
    expect(sorted(await awsFailure(awsError('AccessDenied', 403, 'client')))).toMatchObject({
      type: 'AccessDenied',
      nonRetryable: true,
    });
    expect(sorted(await awsFailure(awsError('Throttling', 400, 'client')))).toMatchObject({
      type: 'Throttled',
      nonRetryable: false,
    });
    expect(sorted(await awsFailure(awsError('ValidationError', 400, 'client')))).toMatchObject({
      type: 'ProviderRejected',
      nonRetryable: true,
    });
    expect(sorted(await awsFailure(awsError('ServiceFailure', 500, 'server')))).toMatchObject({
      type: 'ProviderFault',
      nonRetryable: false,
    });
    expect((await awsFailure(awsError('NoSuchEntity', 404, 'client'))).message).toBe(
      'IAM user u does not exist: NoSuchEntity happened',
    );
  });

  it('GCP: canonical status names decide; RESOURCE_EXHAUSTED is throttling; a stale etag is retried', () => {
    const rest = (status: number, name: string) =>
      Object.assign(new Error(JSON.stringify({ error: { status: name, message: `${name} said` } })), {
        response: { status, data: { error: { status: name } } },
      });
    expect(sorted(gcpFailure(rest(404, 'NOT_FOUND'), 'key k'))).toMatchObject({
      type: 'NoSuchEntity',
      nonRetryable: true,
    });
    expect(sorted(gcpFailure(rest(429, 'RESOURCE_EXHAUSTED'), 'key k'))).toMatchObject({
      type: 'Throttled',
      nonRetryable: false,
    });
    expect(sorted(gcpFailure(rest(409, 'ABORTED'), 'policy p'))).toMatchObject({
      type: 'ProviderFault',
      nonRetryable: false,
    });
    expect(sorted(gcpFailure(rest(400, 'INVALID_ARGUMENT'), 'policy p'))).toMatchObject({
      type: 'ProviderRejected',
      nonRetryable: true,
    });
  });

  it("Azure: 429 waits as long as Retry-After says; an unknown 4xx is the caller's fault, a 5xx is retried", () => {
    const rest = (statusCode: number, code: string, retryAfter?: string) =>
      Object.assign(new Error(`${code} said`), {
        statusCode,
        code,
        response: { headers: { get: (name: string) => (name === 'retry-after' ? retryAfter : undefined) } },
      });
    expect(sorted(azureFailure(rest(429, 'TooManyRequests', '7'), 'assignment a'))).toEqual({
      type: 'Throttled',
      nonRetryable: false,
      nextRetryDelay: 7000,
    });
    expect(sorted(azureFailure(rest(422, 'Unprocessable'), 'assignment a'))).toMatchObject({
      type: 'ProviderRejected',
      nonRetryable: true,
    });
    expect(sorted(azureFailure(rest(503, 'ServiceUnavailable'), 'assignment a'))).toMatchObject({
      type: 'ProviderFault',
      nonRetryable: false,
    });
  });
});
