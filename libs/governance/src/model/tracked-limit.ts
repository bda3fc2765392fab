import { Nanos } from './model-config';

/** A counted dimension: a budget's cost, or a rate limit's tokens or requests. */
export type Dimension = 'cost' | 'tokens' | 'requests';
export type LimitKind = 'budget' | 'rate_limit';

/**
 * One counter series of a config. Usage lives in windows of `counterKey`; an upsert that keeps
 * the key keeps the usage, a new key starts from zero.
 */
export interface TrackedLimit {
  configId: string;
  kind: LimitKind;
  /** budget id or rate-limit id */
  limitId: string;
  dimension: Dimension;
  /** nano-dollars for cost, a count for tokens and requests */
  maxLimit: bigint;
  resetDuration: string;
  calendarAligned: boolean;
  /** where the rolling window lattice starts */
  anchor: Date;
  counterKey: string;
}

/** An amount to add to one window of one counter. */
export interface Charge {
  counterKey: string;
  windowStart: Date;
  amount: bigint;
}

export type { Nanos };
