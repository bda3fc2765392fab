import { AppConfig, boot } from '@app/config';
import { Command, InvalidArgumentError } from 'commander';
import { demoCommand } from './demo/demo.command';
import { dlqCommand } from './dlq/dlq.command';
import { migrateCommand } from './migrate/migrate.command';
import { DEFAULT_MIX } from './simulate/gateway-traffic';
import { DEFAULT_PLAN } from './simulate/paced-publisher';
import { simulateCommand } from './simulate/simulate.command';
import { rfc3339Option, usageCommand, UsageOptions } from './usage/usage.command';
import { stackCommand } from './stack/stack.command';
import { replayCommand } from './replay/replay.command';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
}

function share(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('must be a share between 0 and 1');
  return n;
}

interface SimulateFlags {
  configs: number;
  rate: number;
  records: number;
  seconds: number;
  duplicates: number;
  late: number;
  streaming: number;
  failures: number;
  batch: number;
  lingerMs: number;
  seed: number;
  usageOnly: boolean;
}

boot(async () => {
  const config = AppConfig.fromEnv();
  const program = new Command('usage-ledger').description('usage-ledger operator commands');
  program
    .command('migrate')
    .description('create the database if missing and apply pending migrations')
    .action(() => migrateCommand(config));
  program
    .command('demo')
    .description('publish demo model configs and a stream of demo usage events')
    .option('--rate <n>', 'usage events per second', positiveInt, 5)
    .option('--seconds <n>', 'how long to stream (0 = until stopped)', positiveInt, 0)
    .action((o: { rate: number; seconds: number }) => demoCommand(config, o));
  program
    .command('dlq')
    .description('list the newest dead letters and counts by reason code')
    .option('--limit <n>', 'how many to list', positiveInt, 20)
    .action((o: { limit: number }) => dlqCommand(config, o.limit));
  program
    .command('simulate')
    .description('a fleet of gateways: model configs, then realistic usage at a rate or flat out')
    .option('--configs <n>', 'model configs across the three scopes', positiveInt, 1000)
    .option('--rate <n>', 'usage records per second (0 = as fast as possible)', positiveInt, 1000)
    .option('--records <n>', 'stop after this many records (0 = no limit)', positiveInt, 0)
    .option('--seconds <n>', 'stop after this long (0 = until stopped)', positiveInt, 0)
    .option('--duplicates <share>', 'records resent as retries', share, DEFAULT_MIX.duplicates)
    .option('--late <share>', 'events minutes to hours late', share, DEFAULT_MIX.late)
    .option('--streaming <share>', 'calls streamed as chunks', share, DEFAULT_MIX.streaming)
    .option('--failures <share>', 'failed calls', share, DEFAULT_MIX.failures)
    .option(
      '--batch <n>',
      'records per produce request at most',
      positiveInt,
      DEFAULT_PLAN.maxBatch,
    )
    .option(
      '--linger-ms <n>',
      'how long records wait to be batched',
      positiveInt,
      DEFAULT_PLAN.lingerMs,
    )
    .option('--seed <n>', 'same seed, same configs and traffic mix', positiveInt, 1)
    .option(
      '--usage-only',
      'publish no configs: usage for the fleet of --configs published before',
      false,
    )
    .action((o: SimulateFlags) =>
      simulateCommand(config, {
        configs: Math.max(1, o.configs),
        seed: o.seed,
        usageOnly: o.usageOnly,
        mix: {
          duplicates: o.duplicates,
          late: o.late,
          streaming: o.streaming,
          failures: o.failures,
        },
        rate: o.rate,
        records: o.records,
        seconds: o.seconds,
        lingerMs: o.lingerMs,
        maxBatch: Math.max(1, o.batch),
      }),
    );
  program
    .command('usage')
    .description('usage of a model config window by window (PostgreSQL), as a terminal chart')
    .argument('<id>', 'model config id')
    .option('--from <time>', 'RFC 3339 start (default: 30 days before --to)', rfc3339Option)
    .option('--to <time>', 'RFC 3339 end, exclusive (default: now)', rfc3339Option)
    .action((id: string, o: UsageOptions) => usageCommand(config, id, o));
  program.addCommand(stackCommand(config));
  program.addCommand(replayCommand(config));
  await program.parseAsync(process.argv);
});
