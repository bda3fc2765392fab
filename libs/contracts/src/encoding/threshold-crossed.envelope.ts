import { createHash } from 'crypto';
import { formatDollars, ThresholdCrossing } from '@app/governance';

export const LIMIT_THRESHOLD_CROSSED_V1 = 'governance.limit.threshold_crossed.v1';
export const ALERT_SOURCE = 'usage-ledger/projector';

/** `data` of governance.limit.threshold_crossed.v1 (docs/events/schemas). */
export interface ThresholdCrossedData {
  model_config_id: string;
  limit_kind: 'budget' | 'rate_limit';
  limit_id: string;
  dimension: 'cost' | 'tokens' | 'requests';
  reset_duration: string;
  calendar_aligned: boolean;
  window_start: string;
  window_end: string;
  threshold_percent: number;
  /** dollars for a budget, a count for tokens and requests */
  usage: number;
  max_limit: number;
  /** the counter series (changes when the limit's window changes) */
  counter_key: string;
}

export interface ThresholdCrossedEnvelope {
  specversion: '1.0';
  id: string;
  source: string;
  type: typeof LIMIT_THRESHOLD_CROSSED_V1;
  subject: string;
  /** the `time` of the usage event that crossed the threshold */
  time: string;
  datacontenttype: 'application/json';
  data: ThresholdCrossedData;
}

/**
 * Same config, limit, series, window and threshold: same id, whenever and however often it is
 * computed (a redelivery, a crash before publishing, a replay), so consumers can dedupe too.
 */
export function alertIdOf(c: ThresholdCrossing): string {
  const l = c.limit;
  const identity = [
    l.configId,
    l.kind,
    l.limitId,
    l.dimension,
    l.counterKey,
    c.windowStart.toISOString(),
    String(c.thresholdPercent),
  ].join('\u0000');
  const hex = createHash('sha256').update(identity).digest('hex');
  return `alert-${hex.slice(0, 32)}`;
}

export function thresholdCrossedEnvelope(c: ThresholdCrossing): ThresholdCrossedEnvelope {
  const l = c.limit;
  const amount = (v: bigint): number => (l.dimension === 'cost' ? formatDollars(v) : Number(v));
  return {
    specversion: '1.0',
    id: alertIdOf(c),
    source: ALERT_SOURCE,
    type: LIMIT_THRESHOLD_CROSSED_V1,
    subject: l.configId,
    time: c.time.toISOString(),
    datacontenttype: 'application/json',
    data: {
      model_config_id: l.configId,
      limit_kind: l.kind,
      limit_id: l.limitId,
      dimension: l.dimension,
      reset_duration: l.resetDuration,
      calendar_aligned: l.calendarAligned,
      window_start: c.windowStart.toISOString(),
      window_end: c.windowEnd.toISOString(),
      threshold_percent: c.thresholdPercent,
      usage: amount(c.usage),
      max_limit: amount(l.maxLimit),
      counter_key: l.counterKey,
    },
  };
}
