import { spawn } from 'child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'fs/promises';
import Redis from 'ioredis';
import { createServer } from 'net';
import { join } from 'path';

const SLOTS = 16384;
/** Redis Cluster talks between nodes on the client port + 10000. */
const BUS_OFFSET = 10000;
const READY_TIMEOUT_MS = 20_000;

/**
 * A throwaway 3-master Redis Cluster from the Debian `redis-server` binary, on loopback ports,
 * with its files under `dir`: for the test suite and for trying the service on a cluster.
 * Returns the seed nodes (`host:port`), also written to `<dir>/nodes`.
 */
export async function startLocalRedisCluster(dir: string, basePort?: number): Promise<string[]> {
  await stopLocalRedisCluster(dir);
  const ports = basePort ? [basePort, basePort + 1, basePort + 2] : await freePorts(3);
  await mkdir(dir, { recursive: true });
  try {
    return await createCluster(dir, ports);
  } catch (error) {
    await stopLocalRedisCluster(dir); // no half-made cluster outlives a failed start
    throw error;
  }
}

async function createCluster(dir: string, ports: number[]): Promise<string[]> {
  await Promise.all(ports.map((port) => startNode(dir, port)));
  // A daemonized redis-server returns before it listens: wait for every port first.
  await waitUntil(
    async () => !(await Promise.all(ports.map(isFree))).some(Boolean),
    READY_TIMEOUT_MS,
  );
  const nodes = ports.map((port) => new Redis({ port, host: '127.0.0.1', lazyConnect: true }));
  try {
    await Promise.all(nodes.map((n) => n.connect()));
    const share = Math.ceil(SLOTS / ports.length);
    await Promise.all(
      nodes.map((n, i) =>
        n.call('CLUSTER', 'ADDSLOTSRANGE', i * share, Math.min(SLOTS, (i + 1) * share) - 1),
      ),
    );
    for (const port of ports.slice(1)) await nodes[0].call('CLUSTER', 'MEET', '127.0.0.1', port);
    await waitUntil(() => allReady(nodes, ports.length), READY_TIMEOUT_MS);
  } finally {
    nodes.forEach((n) => n.disconnect());
  }
  const seeds = ports.map((port) => `127.0.0.1:${port}`);
  await writeFile(join(dir, 'nodes'), `${seeds.join(',')}\n`);
  return seeds;
}

/** Stops the nodes that `startLocalRedisCluster(dir)` started (by their pid files) and removes dir. */
export async function stopLocalRedisCluster(dir: string): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  const pids = await Promise.all(
    entries.map((e) => readFile(join(dir, e, 'redis.pid'), 'utf8').then(Number, () => 0)),
  );
  const ours = await Promise.all(pids.map(async (pid) => ((await isRedisServer(pid)) ? pid : 0)));
  for (const pid of ours.filter((p) => p > 0)) process.kill(pid, 'SIGTERM');
  await waitUntil(async () => !(await Promise.all(ours.map(isRedisServer))).some(Boolean), 10_000);
  await rm(dir, { recursive: true, force: true });
}

export async function localRedisClusterNodes(dir: string): Promise<string[] | null> {
  const text = await readFile(join(dir, 'nodes'), 'utf8').catch(() => null);
  return text ? text.trim().split(',') : null;
}

async function startNode(dir: string, port: number): Promise<void> {
  const home = join(dir, String(port));
  await mkdir(home, { recursive: true });
  // --daemonize: the node outlives this command; its pid file is how `stop` finds it again.
  // prettier-ignore
  const args = [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', home,
    '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf',
    '--cluster-node-timeout', '5000', '--save', '', '--appendonly', 'no',
    '--daemonize', 'yes', '--pidfile', join(home, 'redis.pid'), '--logfile', join(home, 'redis.log'),
  ];
  await new Promise<void>((resolve, reject) => {
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    child.on('error', (e) =>
      reject(new Error(`cannot run redis-server (apt-get install redis-server): ${e.message}`)),
    );
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(
            new Error(`redis-server on port ${port} exited with ${code}; see ${home}/redis.log`),
          ),
    );
  });
}

/**
 * Every node serves all slots and knows every node by its address: until a node has heard its
 * own IP from a peer it lists itself as `:port`, and a client that read that could not reach it.
 */
async function allReady(nodes: Redis[], expected: number): Promise<boolean> {
  const views = await Promise.all(
    nodes.map(async (n) => {
      const [info, table] = (await Promise.all([
        n.call('CLUSTER', 'INFO'),
        n.call('CLUSTER', 'NODES'),
      ])) as [string, string];
      const lines = table.trim().split('\n');
      return (
        info.includes('cluster_state:ok') &&
        info.includes(`cluster_slots_ok:${SLOTS}`) &&
        lines.length === expected &&
        lines.every((line) => line.split(' ')[1].startsWith('127.0.0.1:'))
      );
    }),
  );
  return views.every(Boolean);
}

async function isRedisServer(pid: number): Promise<boolean> {
  if (!pid) return false;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.startsWith('redis-server');
}

/** `count` consecutive ports whose cluster-bus ports are free too. */
async function freePorts(count: number): Promise<number[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 30000 + Math.floor(Math.random() * 20000);
    const ports = Array.from({ length: count }, (_, i) => base + i);
    const all = [...ports, ...ports.map((p) => p + BUS_OFFSET)];
    if ((await Promise.all(all.map(isFree))).every(Boolean)) return ports;
  }
  throw new Error('found no free ports for a local Redis Cluster');
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
