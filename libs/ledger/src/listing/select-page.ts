import { compareCodePoints, foldSearchText } from '@app/governance';
import { ConfigListFilter, ConfigListingRow } from './config-list-query';

export interface PageSelection {
  ids: string[];
  total: number;
}

/**
 * The reference listing: what both read models must return, exactly (a property test holds
 * them to it). Newest `created_at` first, then `id` descending in code-point order (never the
 * locale's), then `offset`/`limit`; `search` is a substring of the folded model name.
 */
export function selectPage(
  rows: readonly ConfigListingRow[],
  filter: ConfigListFilter,
  limit: number,
  offset: number,
): PageSelection {
  const matching = rows.filter(matches(filter)).sort(newestFirst);
  return { ids: matching.slice(offset, offset + limit).map((r) => r.id), total: matching.length };
}

function matches(filter: ConfigListFilter): (row: ConfigListingRow) => boolean {
  // A plain substring test: `%`, `_` and `\` in a search are characters, never patterns.
  const needle = filter.search === null ? null : foldSearchText(filter.search);
  return (row) =>
    (needle === null || foldSearchText(row.modelName).includes(needle)) &&
    (filter.scope === null || row.scope === filter.scope) &&
    // A null scope_id or provider (global, all providers) never equals a filter value.
    (filter.scopeId === null || row.scopeId === filter.scopeId) &&
    (filter.provider === null || row.provider === filter.provider);
}

function newestFirst(a: ConfigListingRow, b: ConfigListingRow): number {
  if (a.createdAtMs !== b.createdAtMs) return b.createdAtMs - a.createdAtMs;
  return compareCodePoints(b.id, a.id);
}
