import { foldSearchText } from '@app/governance';
import { ReadModelTables } from '../read-model-version/read-model-tables';
import { ConfigListQuery } from './config-list-query';

/**
 * The listing as one SQL statement: only the filters asked for (each served by an index in
 * listing order; `search` by the trigram index on the folded name), `id` in "C" collation,
 * LIMIT/OFFSET in the database. `total_count` with at most one exact filter and no search comes
 * from the live counts a trigger keeps; otherwise it counts the same filter.
 */
export function pageStatement(
  t: ReadModelTables,
  q: ConfigListQuery,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const param = (value: unknown): string => `$${params.push(value)}`;
  const where = ['deleted_at IS NULL'];
  const exact: [string, string][] = [];
  for (const [column, value] of [
    ['scope', q.scope],
    ['scope_id', q.scopeId],
    ['provider', q.provider],
  ] as const) {
    if (value === null) continue;
    where.push(`${column} = ${param(value)}`);
    exact.push([column, value]);
  }
  if (q.search !== null) where.push(`search_name LIKE ${param(likeSubstring(q.search))}`);
  const filter = where.join(' AND ');
  const total =
    q.search === null && exact.length <= 1
      ? `COALESCE((SELECT live FROM ${t.configCounts}
                    WHERE dimension = ${param(exact[0]?.[0] ?? 'all')}
                      AND value = ${param(exact[0]?.[1] ?? '')}), 0)`
      : `(SELECT count(*) FROM ${t.configs} WHERE ${filter})`;
  const sql = `
    SELECT ${total} AS total,
           (SELECT as_of FROM ${t.state} WHERE id = 1) AS as_of,
           COALESCE((SELECT json_agg(json_build_object('definition', p.definition,
                              'limits', p.limits, 'config_hash', p.config_hash,
                              'version', p.version) ORDER BY p.created_at DESC, p.id DESC)
                       FROM (SELECT definition, limits, config_hash, version, created_at, id
                               FROM ${t.configs} WHERE ${filter}
                              ORDER BY created_at DESC, id DESC
                              LIMIT ${param(q.limit)} OFFSET ${param(String(q.offset))}) p),
                    '[]'::json) AS page`;
  return { sql, params };
}

/** `%<needle>%` over the folded name, with LIKE's own `%`, `_` and `\` escaped. */
export function likeSubstring(search: string): string {
  return `%${foldSearchText(search).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
