import { type DataConverter, defaultPayloadConverter, type Payload, type ProtoFailure } from '@temporalio/common';

/** A history event's payloads as the server returns them (codec-encoded: idra's are encrypted). */
export type Payloads =
  { payloads?: { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null }[] | null } | null | undefined;

/** Reads payloads out of a history with a data converter's codecs, through the SDK's public API only. */
export interface HistoryDecoder {
  /** The payload at `index`, decoded and converted; none there: undefined. */
  payload<T>(payloads: Payloads, index?: number): Promise<T | undefined>;
  /** The innermost message of a failure: its cause chain's last, read from its encoded attributes when it has them. */
  failureMessage(failure: ProtoFailure | null | undefined): Promise<string>;
}

/**
 * idra's payloads go through its codecs (encryption) over the default payload converter; its failure converter
 * moves each failure's message into `encodedAttributes`, encoded like any payload.
 */
export function historyDecoder(dataConverter: DataConverter): HistoryDecoder {
  const codecs = [...(dataConverter.payloadCodecs ?? [])].reverse();
  const decodeOne = async (payload: Payload): Promise<Payload> => {
    let decoded = [payload];
    // Codecs encode in order, so they decode in reverse.
    for (const codec of codecs) decoded = await codec.decode(decoded);
    return decoded[0]!;
  };
  return {
    async payload<T>(payloads: Payloads, index = 0) {
      const payload = payloads?.payloads?.[index];
      if (!payload) return undefined;
      return defaultPayloadConverter.fromPayload<T>(await decodeOne(payload));
    },
    async failureMessage(failure) {
      let innermost = failure;
      while (innermost?.cause) innermost = innermost.cause;
      if (!innermost) return 'unknown failure';
      if (innermost.encodedAttributes) {
        const attributes = defaultPayloadConverter.fromPayload<{ message?: string }>(
          await decodeOne(innermost.encodedAttributes),
        );
        if (attributes.message) return attributes.message;
      }
      return innermost.message || 'unknown failure';
    },
  };
}

/** A protobuf timestamp in milliseconds since the epoch. */
export function timestampMs(
  timestamp: { seconds?: number | { toNumber(): number } | null; nanos?: number | null } | null | undefined,
): number {
  const seconds = timestamp?.seconds;
  const whole = typeof seconds === 'number' ? seconds : (seconds?.toNumber() ?? 0);
  return whole * 1000 + Math.floor((timestamp?.nanos ?? 0) / 1_000_000);
}
