import { Nanos } from '../model/model-config';

/** What a gateway asks before a model call (already validated). */
export interface AdmissionRequest {
  requestId: string;
  provider: string;
  model: string;
  virtualKeyId: string | null;
  userId: string | null;
  /** nano-dollars; 0 when the gateway sent no estimate */
  estimatedCost: Nanos;
  estimatedTokens: number;
  holdMs: number;
}

/** The longest hold an admission may ask for (`hold_for`) or be given by default: a day. */
export const MAX_ADMISSION_HOLD_MS = 86_400_000;
