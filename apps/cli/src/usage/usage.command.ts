import { AppConfig } from '@app/config';
import { parseRfc3339 } from '@app/contracts';
import { createDataSource } from '@app/database';
import { historyRange } from '@app/governance';
import { CounterHistoryReader, VersionRegistry } from '@app/ledger';
import { InvalidArgumentError } from 'commander';
import { renderUsageChart } from './usage-chart';

export interface UsageOptions {
  from?: Date;
  to?: Date;
}

/** Commander parser for --from / --to. */
export function rfc3339Option(value: string): Date {
  const time = parseRfc3339(value);
  if (time === null)
    throw new InvalidArgumentError('must be an RFC 3339 time (2026-01-01T00:00:00Z)');
  return time;
}

/** `usage-ledger usage <id>`: the usage history of one config as a terminal chart. */
export async function usageCommand(config: AppConfig, id: string, o: UsageOptions): Promise<void> {
  const range = historyRange(o.from ?? null, o.to ?? null, new Date());
  const ds = await createDataSource({
    url: config.env.DATABASE_URL,
    poolSize: 1,
    applicationName: 'usage-ledger-cli',
  }).initialize();
  try {
    const version = await new VersionRegistry(ds, config.env.REDIS_KEY_PREFIX).active();
    const read = await new CounterHistoryReader(ds, version).read(id, range);
    if (read.snapshot === null) {
      process.stderr.write(`usage-ledger: Model config not found: ${id}\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write(
      `${range.from.toISOString()} .. ${range.to.toISOString()} (as of ${read.asOf?.toISOString() ?? 'never'})\n`,
    );
    process.stdout.write(renderUsageChart(id, read.limits));
  } finally {
    await ds.destroy();
  }
}
