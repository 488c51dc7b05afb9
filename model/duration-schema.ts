import { z } from 'zod';
import { DURATION_RULE, type Duration, isDuration } from './duration';

/** A duration in playbooks and configuration; the parsed value has the type the SDK's timers accept. */
export const durationSchema = z.custom<Duration>(isDuration, { error: DURATION_RULE });
