import { AppConfig } from '@app/config';
import {
  LifecycleRefusedError,
  readReplayStatus,
  VersionLifecycle,
  VersionRegistry,
} from '@app/ledger';
import { Command, InvalidArgumentError } from 'commander';
import { ReplayConnections, withReplayConnections } from './replay-connections';
import { renderStatus } from './status-report';

/**
 * Exit codes of switch, rollback, prune and status: 0 done; 1 refused (the registry's state
 * does not allow it, the message says why); 2 could not run (a store unreachable, an
 * unexpected failure). Usage errors (an unknown option, a bad number) exit 1 from commander.
 */
export const LIFECYCLE_DONE = 0;
export const LIFECYCLE_REFUSED = 1;
export const LIFECYCLE_FAILED = 2;

const holds = (n: number) => `${n} admission hold${n === 1 ? '' : 's'}`;

/** API instances follow the active version within one poll interval; two are the margin. */
function follow(config: AppConfig): { followMs: number } {
  return { followMs: 2 * config.env.POLL_INTERVAL };
}

function versionId(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError('must be a version id (1, 2, ...)');
  }
  return n;
}

/** Adds switch, rollback, prune and status to `replay`. */
export function addLifecycleVerbs(replay: Command, config: AppConfig): void {
  replay
    .command('status')
    .description("versions, the active one, each one's position in the log, lag, a running build")
    .option('--json', 'one JSON document')
    .action((o: { json?: boolean }) =>
      run(config, 'status', async ({ ds, registry }) => {
        const status = await readReplayStatus(ds, registry);
        process.stdout.write(o.json ? `${JSON.stringify(status)}\n` : renderStatus(status));
      }),
    );
  replay
    .command('switch')
    .description('make a followed version active (default: the newest one newer than the active)')
    .option('--version <n>', 'the version to make active', versionId)
    .action((o: { version?: number }) =>
      run(config, 'switch', async (c, lifecycle) => {
        const target = o.version ?? (await newestFollower(c.registry));
        const { from, to, holdsCarried } = await lifecycle.switchTo(target, follow(config));
        process.stdout.write(
          `switched: version ${to} is active; version ${from} keeps following; ${holds(holdsCarried)} carried over\n`,
        );
      }),
    );
  replay
    .command('rollback')
    .description('make the previously active version active again')
    .action(() =>
      run(config, 'rollback', async (_, lifecycle) => {
        const { from, to, holdsCarried } = await lifecycle.rollback(follow(config));
        process.stdout.write(
          `rolled back: version ${to} is active; version ${from} keeps following; ${holds(holdsCarried)} carried over\n`,
        );
      }),
    );
  replay
    .command('prune')
    .description(
      "drop a version's tables and Redis keys (default: every previously active one; never the active one)",
    )
    .option('--version <n>', 'prune this version only', versionId)
    .action((o: { version?: number }) =>
      run(config, 'prune', async (_, lifecycle) => {
        const pruned = await lifecycle.prune({
          versionId: o.version,
          graceMs: 2 * config.env.POLL_INTERVAL,
        });
        process.stdout.write(
          `pruned: version ${pruned.join(', ')} (tables and Redis keys dropped, retired)\n`,
        );
      }),
    );
}

async function run(
  config: AppConfig,
  verb: string,
  work: (c: ReplayConnections, lifecycle: VersionLifecycle) => Promise<void>,
): Promise<void> {
  try {
    await withReplayConnections(config, (c) =>
      work(c, new VersionLifecycle(c.ds, c.redis, c.registry, config.env.REDIS_KEY_PREFIX)),
    );
    process.exitCode = LIFECYCLE_DONE;
  } catch (error) {
    if (error instanceof LifecycleRefusedError) {
      process.stderr.write(
        `usage-ledger: replay ${verb} refused (${error.code}): ${error.message}\n`,
      );
      process.exitCode = LIFECYCLE_REFUSED;
    } else {
      process.stderr.write(`usage-ledger: replay ${verb} failed: ${String(error)}\n`);
      process.exitCode = LIFECYCLE_FAILED;
    }
  }
}

/** The newest followed version newer than the active one (a finished build). */
async function newestFollower(registry: VersionRegistry): Promise<number> {
  const versions = await registry.list();
  const active = versions.find((v) => v.status === 'active')?.id ?? 0;
  const newer = versions.filter((v) => v.status === 'following' && v.id > active);
  if (newer.length === 0) {
    throw new LifecycleRefusedError(
      'not_following',
      `no followed version newer than the active one (${active}): build one first, or name one with --version (to go back: replay rollback)`,
    );
  }
  return newer[newer.length - 1].id;
}
