import { ConfigSnapshot, CounterValue } from '../snapshot/config-snapshot';
import { DeadLetter } from './incoming-batch';

/** A config change for Redis: the snapshot, or null when deleted. */
export interface ConfigChange {
  id: string;
  version: number;
  snapshot: ConfigSnapshot | null;
}

/** What a committed batch changed: the input for the Redis projection and for metrics. */
export interface AppliedBatch {
  topic: string;
  partition: number;
  applied: number;
  duplicates: number;
  skippedBeforePosition: number;
  deadLetters: DeadLetter[];
  counters: CounterValue[];
  configs: ConfigChange[];
  lastSeq: number;
  asOf: Date | null;
  /** request ids of the usage events applied that end their call: admission holds to settle */
  settledRequestIds: string[];
}
