import { parseRfc3339 } from '@app/contracts';
import { HistoryRange, historyRange } from '@app/governance';
import { badRequest } from '../../http/api-error';
import { RawQuery } from '../list-model-configs/list-query-params';

/**
 * `from` and `to` (RFC 3339, `to` exclusive). Defaults: `to` = now, `from` = `to` - 30 days.
 * An empty value counts as absent and a repeated one uses its first value, like the list.
 */
export function parseHistoryRange(query: RawQuery, now: Date): HistoryRange {
  return historyRange(timeParam(query, 'from'), timeParam(query, 'to'), now);
}

function timeParam(query: RawQuery, name: 'from' | 'to'): Date | null {
  const raw = query[name];
  const value: unknown = Array.isArray(raw) ? (raw as unknown[])[0] : raw;
  if (value === undefined || value === '') return null;
  const time = typeof value === 'string' ? parseRfc3339(value) : null;
  if (time === null) {
    throw badRequest(`Invalid ${name} parameter: must be an RFC 3339 time (2026-01-01T00:00:00Z)`);
  }
  return time;
}
