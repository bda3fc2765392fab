import { ModelConfigDefinition, TrackedLimit } from '@app/governance';

/** A live config as the read models hold it: its definition plus its counter series. */
export interface ConfigSnapshot {
  definition: ModelConfigDefinition;
  limits: TrackedLimit[];
  configHash: string;
  /** grows on every change of this config; fences Redis writes */
  version: number;
}

/** A counter window's absolute value after a change. */
export interface CounterValue {
  counterKey: string;
  windowStart: Date;
  value: bigint;
  version: number;
}
