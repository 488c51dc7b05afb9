import type { FaultAnswer, ProviderFaults, ProxiedCall } from './fault-proxy';

/**
 * AWS's error shapes, by protocol: JSON services (Secrets Manager: an `X-Amz-Target` header) answer
 * `{"__type", "message"}` with `x-amzn-ErrorType`; Query services (IAM, STS) answer an `ErrorResponse`
 * document. IAM says `Throttling` and `ServiceFailure`; JSON services `ThrottlingException` and
 * `InternalFailure`.
 */
function awsError(
  call: ProxiedCall,
  status: number,
  query: { type: 'Sender' | 'Receiver'; code: string },
  json: string,
  message: string,
): FaultAnswer {
  const requestId = `fault-${Math.random().toString(16).slice(2, 10)}`;
  if (call.headers['x-amz-target']) {
    return {
      status,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-errortype': json,
        'x-amzn-requestid': requestId,
      },
      body: JSON.stringify({ __type: json, message }),
    };
  }
  const body = `<ErrorResponse><Error><Type>${query.type}</Type><Code>${query.code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

export const AWS_FAULTS: ProviderFaults = {
  error: (call) =>
    awsError(
      call,
      500,
      { type: 'Receiver', code: 'ServiceFailure' },
      'InternalFailure',
      'injected fault: internal error',
    ),
  throttle: (call) =>
    awsError(call, 400, { type: 'Sender', code: 'Throttling' }, 'ThrottlingException', 'Rate exceeded'),
};
