import { Freshness } from './model-config.reader';

/**
 * X-Data-Source always; X-Read-Model-As-Of (time of the newest applied event) and
 * X-Read-Model-Lag-Ms (now - as_of, never negative) once any event has been applied.
 */
export function freshnessHeaders(freshness: Freshness, now: Date): Record<string, string> {
  const headers: Record<string, string> = { 'X-Data-Source': freshness.source };
  if (freshness.asOf !== null) {
    headers['X-Read-Model-As-Of'] = freshness.asOf.toISOString();
    headers['X-Read-Model-Lag-Ms'] = String(Math.max(0, now.getTime() - freshness.asOf.getTime()));
  }
  return headers;
}
