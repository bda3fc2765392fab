import { AppConfig } from '@app/config';
import { createDataSource } from '@app/database';

/** `usage-ledger dlq`: the newest dead letters with their reason, newest first. */
export async function dlqCommand(config: AppConfig, limit: number): Promise<void> {
  const ds = await createDataSource({
    url: config.env.DATABASE_URL,
    poolSize: 1,
    applicationName: 'usage-ledger-cli',
  }).initialize();
  try {
    const rows: Record<string, unknown>[] = await ds.query(
      `SELECT dead_lettered_at, code, message, topic, partition, kafka_offset, source, event_id
         FROM dead_letters ORDER BY id DESC LIMIT $1`,
      [limit],
    );
    const counts: { code: string; n: string }[] = await ds.query(
      'SELECT code, count(*) AS n FROM dead_letters GROUP BY code ORDER BY n DESC',
    );
    process.stdout.write(
      `dead letters by code: ${counts.map((c) => `${c.code}=${c.n}`).join(' ') || 'none'}\n`,
    );
    for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
  } finally {
    await ds.destroy();
  }
}
