import { ConfigListingRow } from '@app/ledger';
import { ListFilter } from '../list-model-configs/list-query-params';

export interface PageSelection {
  ids: string[];
  total: number;
}

/**
 * Filtering, ordering and paging of the listing, shared by both read paths so they cannot
 * disagree: newest `created_at` first, then `id` descending (code-unit order, never the
 * locale's), then `offset`/`limit`.
 */
export function selectPage(
  rows: readonly ConfigListingRow[],
  filter: ListFilter,
  limit: number,
  offset: number,
): PageSelection {
  const matching = rows.filter(matches(filter)).sort(newestFirst);
  return { ids: matching.slice(offset, offset + limit).map((r) => r.id), total: matching.length };
}

function matches(filter: ListFilter): (row: ConfigListingRow) => boolean {
  // A plain substring test: `%`, `_` and `\` in a search are characters, never patterns.
  const needle = filter.search?.toLowerCase() ?? null;
  return (row) =>
    (needle === null || row.modelName.toLowerCase().includes(needle)) &&
    (filter.scope === null || row.scope === filter.scope) &&
    // A null scope_id or provider (global, all providers) never equals a filter value.
    (filter.scopeId === null || row.scopeId === filter.scopeId) &&
    (filter.provider === null || row.provider === filter.provider);
}

function newestFirst(a: ConfigListingRow, b: ConfigListingRow): number {
  if (a.createdAtMs !== b.createdAtMs) return b.createdAtMs - a.createdAtMs;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
