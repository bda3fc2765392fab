import { ReadModelVersion } from '../read-model-version/read-model-version';
import { ConfigSnapshot, CounterValue } from '../snapshot/config-snapshot';
import { DeadLetter } from './incoming-batch';

/** A config change for Redis: the snapshot, or null when deleted. */
export interface ConfigChange {
  id: string;
  version: number;
  snapshot: ConfigSnapshot | null;
}

/** What a committed batch changed in one followed read-model version (its Redis input). */
export interface AppliedVersion {
  version: ReadModelVersion;
  active: boolean;
  counters: CounterValue[];
  configs: ConfigChange[];
  settledRequestIds: string[];
  /** the version's read_model_state after the batch */
  lastSeq: number;
  /** the oldest seq the batch changed in this version (0: it changed nothing) */
  firstSeq: number;
  asOf: Date | null;
  configEpoch: number;
  /** events the active version accepted and this one refused (0 for the active one) */
  refused: number;
}

/**
 * What a committed batch changed: the input for the Redis projection and for metrics. The
 * top-level counters, configs and seq are the active version's; `versions` has every followed
 * version's own (the active one included), for their Redis projections.
 */
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
  versions: AppliedVersion[];
}
