import { EventType } from '../events/event-types';

export interface DecodeOptions {
  /** The consumer's clock; events further ahead than the skew are dead-lettered. */
  now: Date;
  maxClockSkewMs: number;
  /** Checked before parsing so a huge value never reaches JSON.parse. */
  maxValueBytes: number;
  /** When set, a known type outside this list is rejected as `unknown_type` for this topic. */
  expectedTypes?: readonly EventType[];
}
