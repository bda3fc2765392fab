import { AppConfig } from '@app/config';
import { Command } from 'commander';
import { join } from 'path';
import { checkKafka } from './kafka-check';
import {
  localRedisClusterNodes,
  startLocalRedisCluster,
  stopLocalRedisCluster,
} from './local-redis-cluster';
import { checkPostgres } from './postgres-check';
import { checkRedis } from './redis-check';
import { ServiceReport, statusLine } from './service-report';

/** The checkout's git-ignored state (the npm scripts run from the repository root). */
const STACK_DIR = join(process.cwd(), '.stack');
const CLUSTER_DIR = join(STACK_DIR, 'redis-cluster');

/**
 * `usage-ledger stack up|status|redis-cluster`: the service checks of `npm run stack`. Starting
 * and stopping the Kafka broker stays in scripts/lib/stack-lib.sh: it must work before
 * `npm install` has run.
 */
export function stackCommand(config: AppConfig): Command {
  const stack = new Command('stack').description(
    'check the local services (after the broker is up)',
  );
  stack
    .command('up')
    .description(
      'check Kafka (and warm up its group coordinator), PostgreSQL (creating the database) and Redis',
    )
    .action(() =>
      report(config, { up: true }, (line) => process.stderr.write(`[stack] ${line}\n`)),
    );
  stack
    .command('status')
    .description('one line per service; exit code 1 if any is down')
    .action(() => report(config, { up: false }, (line) => process.stdout.write(`${line}\n`)));
  const cluster = stack
    .command('redis-cluster')
    .description(`a local 3-master Redis Cluster from redis-server, files in ${CLUSTER_DIR}`);
  cluster
    .command('up')
    .description('start it on free loopback ports and print its seed nodes (REDIS_CLUSTER_NODES)')
    .option('--base-port <n>', 'ports n, n+1, n+2 instead of free ones', Number)
    .action(async (o: { basePort?: number }) => {
      const nodes = await startLocalRedisCluster(CLUSTER_DIR, o.basePort);
      process.stdout.write(`${nodes.join(',')}\n`);
    });
  cluster
    .command('down')
    .description('stop the local cluster (only the nodes this checkout started)')
    .action(() => stopLocalRedisCluster(CLUSTER_DIR));
  cluster
    .command('nodes')
    .description('print the seed nodes of the running local cluster')
    .action(async () => {
      const nodes = await localRedisClusterNodes(CLUSTER_DIR);
      if (!nodes) throw new Error('no local Redis Cluster is running (stack redis-cluster up)');
      process.stdout.write(`${nodes.join(',')}\n`);
    });
  return stack;
}

async function report(config: AppConfig, o: { up: boolean }, print: (line: string) => void) {
  const { env } = config;
  const reports: ServiceReport[] = await Promise.all([
    checkKafka(env.KAFKA_BROKERS, STACK_DIR, o.up),
    checkPostgres(env.DATABASE_URL, o.up),
    checkRedis(env.REDIS_URL, env.REDIS_CLUSTER_NODES),
  ]);
  reports.forEach((r) => print(statusLine(r)));
  if (reports.some((r) => !r.up)) process.exitCode = 1;
}
