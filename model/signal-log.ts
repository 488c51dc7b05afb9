import { contentDigest } from './content-digest';
import type { RecordedSignal } from './signal';

/** Signals kept in the record: the first few and the latest few distinct ones. */
const FIRST_SIGNALS_KEPT = 5;
const LATEST_SIGNALS_KEPT = 5;
/** How many recent signal ids and content digests are remembered to recognise repeats. */
const SEEN_SIGNALS_KEPT = 512;

/** The part of a response's record the log keeps. */
export interface SignalsSeen {
  /** The first and the latest distinct signals. */
  signals: RecordedSignal[];
  /** Every detection signal received, repeats included. */
  signalsReceived: number;
  /** Signals recognised as repeats (same id, or same content under another id). */
  signalRepeats: number;
}

/** The signal as the record keeps it: the raiser's token (spent once verified) is not shown again. */
function withoutToken(signal: RecordedSignal): RecordedSignal {
  const { requestedByAssertion, ...kept } = signal;
  return requestedByAssertion === undefined ? signal : kept;
}

/** Keys that recognise a repeat: the detector's id, and the content whatever id it came with. */
function signalKeys(signal: RecordedSignal): string[] {
  const content = JSON.stringify({ ...signal, id: undefined, requestedByAssertion: undefined });
  return [`id:${signal.id}`, `content:${contentDigest(content)}`];
}

/**
 * The detections a response has seen. A repeat (same id, or same content under another id, as from a
 * detector that sends no id) is counted, not kept; of the distinct ones the first and the latest few are
 * kept, so a detector repeating itself for days never grows the record. Pure.
 */
export class SignalLog {
  /** `seen`: the recent keys a previous run of the response handed over, if it continued as new. */
  constructor(
    private readonly record: SignalsSeen,
    private seen: string[],
  ) {}

  /** The log of a new response, holding its first signal. */
  static startedBy(first: RecordedSignal): { record: SignalsSeen; seen: string[] } {
    return {
      record: { signals: [withoutToken(first)], signalsReceived: 1, signalRepeats: 0 },
      seen: signalKeys(first),
    };
  }

  get seenKeys(): string[] {
    return this.seen;
  }

  /** Adds a signal; false when it was a repeat (only counted). */
  add(signal: RecordedSignal): boolean {
    const { record } = this;
    record.signalsReceived++;
    const keys = signalKeys(signal);
    if (keys.some((key) => this.seen.includes(key))) {
      record.signalRepeats++;
      return false;
    }
    this.seen = [...this.seen, ...keys].slice(-SEEN_SIGNALS_KEPT);
    if (record.signals.length >= FIRST_SIGNALS_KEPT + LATEST_SIGNALS_KEPT) record.signals.splice(FIRST_SIGNALS_KEPT, 1);
    record.signals.push(withoutToken(signal));
    return true;
  }
}
