import { AppConfig } from '@app/config';
import { createDataSource } from '@app/database';
import { DeadLetterReader } from '@app/ledger';

/** `usage-ledger dlq`: the newest dead letters with their reason, newest first. */
export async function dlqCommand(config: AppConfig, limit: number): Promise<void> {
  const ds = await createDataSource({
    url: config.env.DATABASE_URL,
    poolSize: 1,
    applicationName: 'usage-ledger-cli',
  }).initialize();
  try {
    const reader = new DeadLetterReader(ds);
    const rows = await reader.newest(limit);
    const counts = await reader.countsByCode();
    process.stdout.write(
      `dead letters by code: ${counts.map((c) => `${c.code}=${c.count}`).join(' ') || 'none'}\n`,
    );
    for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
  } finally {
    await ds.destroy();
  }
}
