import { runMigrations } from '@app/database';
import { Client } from 'pg';

function adminUrl(url: string): string {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  return admin.toString();
}

async function withAdmin(url: string, sql: string): Promise<void> {
  const c = new Client({ connectionString: adminUrl(url) });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const nameOf = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));

export async function dropDatabase(url: string): Promise<void> {
  await withAdmin(url, `DROP DATABASE IF EXISTS "${nameOf(url)}" WITH (FORCE)`);
}

/** Drops and migrates the bench database, then connects to it. */
export async function freshDatabase(url: string): Promise<Client> {
  if (!/bench/.test(nameOf(url)))
    throw new Error(`refusing to recreate ${nameOf(url)}: not a bench database`);
  await dropDatabase(url);
  await runMigrations(url);
  const db = new Client({ connectionString: url });
  await db.connect();
  return db;
}

/** Records the group has applied (or dead-lettered) on fresh topics: its stored positions. */
export async function appliedRecords(db: Client, group: string): Promise<number> {
  const { rows } = await db.query<{ n: string | null }>(
    'SELECT sum(next_offset) AS n FROM consumer_positions WHERE consumer_group = $1',
    [group],
  );
  return Number(rows[0].n ?? 0);
}

/** Requests and cost the config's counters hold, over all their windows. */
export async function configTotals(
  db: Client,
  configId: string,
): Promise<{ requests: bigint; cost: bigint }> {
  const { rows } = await db.query<{ dimension: string; total: string }>(
    `SELECT l->>'dimension' AS dimension, coalesce(sum(c.value), 0) AS total
       FROM model_configs mc
       CROSS JOIN LATERAL jsonb_array_elements(mc.limits) l
       JOIN usage_counters c ON c.counter_key = l->>'counter_key'
      WHERE mc.id = $1 GROUP BY 1`,
    [configId],
  );
  const of = (d: string) => BigInt(rows.find((r) => r.dimension === d)?.total ?? 0);
  return { requests: of('requests'), cost: of('cost') };
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
