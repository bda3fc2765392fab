import { Nanos } from './model-config';

/** One model call as the gateway reported it (already validated). */
export interface UsageRecord {
  requestId: string;
  provider: string;
  model: string;
  virtualKeyId: string | null;
  userId: string | null;
  success: boolean;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cost: Nanos;
  streaming: boolean;
  finalChunk: boolean;
  /** the event's `time`: decides which window is charged */
  time: Date;
}
