import { createDataSource } from './data-source.factory';
import { ensureDatabase } from './ensure-database';

/** The explicit migration step (`npm run migrate`, also run by `npm start` and `npm test`). */
export async function runMigrations(url: string): Promise<string[]> {
  await ensureDatabase(url);
  const dataSource = createDataSource({
    url,
    poolSize: 1,
    applicationName: 'usage-ledger-migrate',
  });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
