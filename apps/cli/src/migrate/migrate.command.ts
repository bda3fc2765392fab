import { AppConfig } from '@app/config';
import { runMigrations } from '@app/database';

/** `usage-ledger migrate`: creates the database if missing and applies pending migrations. */
export async function migrateCommand(config: AppConfig): Promise<void> {
  const applied = await runMigrations(config.env.DATABASE_URL);
  process.stdout.write(
    applied.length === 0
      ? 'migrations: up to date\n'
      : `migrations applied: ${applied.join(', ')}\n`,
  );
}
