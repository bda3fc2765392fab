import { AppConfig, boot } from '@app/config';
import { Command, InvalidArgumentError } from 'commander';
import { demoCommand } from './demo/demo.command';
import { dlqCommand } from './dlq/dlq.command';
import { migrateCommand } from './migrate/migrate.command';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
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
  await program.parseAsync(process.argv);
});
