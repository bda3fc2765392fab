import { ChildProcess, execFileSync, spawn } from 'child_process';
import { join } from 'path';
import { freePort } from '../support/free-port';
import { suiteTopics, topicEnv } from '../support/kafka-test-client';
import { TEST_ENV } from '../support/test-env';
import { waitFor } from '../support/wait-for';

const ROOT = join(__dirname, '..', '..');

function processTable(): number[][] {
  return execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number));
}

const childrenOf = (parent: number): number[] =>
  processTable()
    .filter(([, ppid]) => ppid === parent)
    .map(([pid]) => pid);

/** Every process below `root`, from the process table. */
function descendants(root: number): number[] {
  const table = processTable();
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [pid, ppid] of table) {
      if (ppid === parent) {
        found.push(pid);
        queue.push(pid);
      }
    }
  }
  return found;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * `npm start`'s script with demo data, on this suite's own database, Redis db, ports, topics and
 * group; the shared broker is already running, so the script reuses it and leaves it alone.
 */
describe('npm start (scripts/start.sh)', () => {
  let script: ChildProcess | null = null;
  // What the run started, kept in case a failure orphaned it (no longer below the script).
  let tree: number[] = [];

  afterEach(() => {
    // A failed run must not leak what it started either.
    for (const pid of new Set([...tree, ...(script?.pid ? descendants(script.pid) : [])])) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone already */
      }
    }
    script?.kill('SIGKILL');
    script = null;
    tree = [];
  });

  // `npm start` runs `sh -c "<script>"` below npm: the signal goes to that process (what a
  // process manager or `kill` of the pid under npm does), not to npm, which would forward it.
  it.each([
    ['SIGTERM', 'start.sh'],
    ['SIGINT', 'start.sh'],
    ['SIGTERM', 'npm start'],
  ] as const)(
    'stops every process it started on %s sent to the script alone (%s)',
    async (signal, how) => {
      const topics = suiteTopics(`start-${signal.toLowerCase()}`);
      const port = await freePort();
      let output = '';
      const [command, args] =
        how === 'npm start' ? ['npm', ['start']] : ['bash', [join(ROOT, 'scripts', 'start.sh')]];
      const child = spawn(command, args, {
        cwd: ROOT,
        env: {
          ...process.env,
          ...topicEnv(topics),
          PORT: String(port),
          PROJECTOR_PORT: String(await freePort()),
          DATABASE_URL: TEST_ENV.DATABASE_URL,
          REDIS_URL: TEST_ENV.REDIS_URL,
          REDIS_KEY_PREFIX: `ul-start-${signal}:`,
          DEMO_DATA: '1',
          DEMO_RATE: '20',
          LOG_FORMAT: 'json',
          LOG_LEVEL: 'warn',
          NODE_ENV: 'development',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      script = child;
      child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

      await waitFor(
        'the script to say it is running',
        async () => {
          if (child.exitCode !== null) throw new Error(`start.sh exited early:\n${output}`);
          return output.includes('usage-ledger is running');
        },
        240_000,
        250,
      );
      // The API and the demo producer: node processes below the script.
      const started = await waitFor('the API and the demo producer', async () => {
        const pids = descendants(child.pid!);
        const nodes = pids.filter((pid) => {
          const args = execFileSync('ps', ['-o', 'args=', '-p', String(pid)], {
            encoding: 'utf8',
          });
          return args.includes('dist/apps/');
        });
        return nodes.length >= 2 ? pids : undefined;
      });
      tree = started;

      // Under npm, its one child: the shell npm runs the script line in.
      const target = how === 'npm start' ? childrenOf(child.pid!)[0] : child.pid!;
      process.kill(target, signal);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
      expect(child.exitCode ?? child.signalCode).not.toBeNull();
      await waitFor(
        'every process of its tree gone',
        async () => started.every((pid) => !alive(pid)),
        5_000,
      ).catch(() => undefined);
      expect(started.filter(alive)).toEqual([]);
    },
    // install check, build, stack and migrations come first, on a shared 2-core machine
    300_000,
  );
});
