import { execFileSync, spawn, ChildProcess } from 'child_process';
import { randomBytes } from 'crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { Kafka, logLevel } from 'kafkajs';
import { join } from 'path';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

const ROOT = join(__dirname, '..', '..');
const STACK_LIBS = join(ROOT, '.stack', 'kafka', 'libs');
const OWN_LIBS = join(ROOT, '.stack', 'test-kafka', 'libs');
const TEMPLATE = join(ROOT, 'tools', 'kafka', 'server.properties.template');
const LOG4J = join(ROOT, 'tools', 'kafka', 'log4j.properties');

/**
 * A Kafka broker of a test's own (same pinned jars as the local stack, its own ports and data
 * dir), for tests that stop and restart a broker: the shared one on KAFKA_BROKERS is never
 * touched. Independent of the stack scripts: it only needs the jars and tools/kafka.
 */
export class PrivateBroker {
  private child: ChildProcess | null = null;
  private readonly dir = join(
    ROOT,
    '.stack',
    'test-kafka',
    `broker-${randomBytes(4).toString('hex')}`,
  );
  port = 0;
  private controllerPort = 0;

  /** `overrides`: broker properties set on top of the project's template (later keys win). */
  constructor(private readonly overrides: Record<string, string> = {}) {}

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Formats a fresh data dir on free ports and starts the broker; resolves once it answers. */
  async create(): Promise<void> {
    const libs = kafkaLibs();
    [this.port, this.controllerPort] = await Promise.all([freePort(), freePort()]);
    mkdirSync(join(this.dir, 'logs'), { recursive: true });
    const config = readFileSync(TEMPLATE, 'utf8')
      .replaceAll('${KAFKA_PORT}', String(this.port))
      .replaceAll('${KAFKA_CONTROLLER_PORT}', String(this.controllerPort))
      .replaceAll('${KAFKA_DATA_DIR}', join(this.dir, 'data'));
    const extra = Object.entries(this.overrides).map(([key, value]) => `${key}=${value}\n`);
    writeFileSync(this.configFile, `${config}\n${extra.join('')}`);
    execFileSync(
      'java',
      [
        '-Xmx256m',
        ...this.logOptions,
        '-cp',
        `${libs}/*`,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        clusterId(),
        '-c',
        this.configFile,
      ],
      { stdio: 'pipe' },
    );
    await this.start();
  }

  /** Starts the broker on its existing data dir (a restart keeps topics and offsets). */
  async start(): Promise<void> {
    const child = spawn(
      'java',
      [
        '-Xms128m',
        '-Xmx384m',
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        ...this.logOptions,
        '-cp',
        `${kafkaLibs()}/*`,
        'kafka.Kafka',
        this.configFile,
      ],
      { stdio: 'ignore' },
    );
    this.child = child;
    const admin = new Kafka({
      brokers: [this.brokers],
      clientId: 'private-broker-probe',
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    }).admin();
    await waitFor(
      `the private broker on ${this.brokers}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`broker exited with ${child.exitCode}`);
        await admin.connect();
        try {
          await admin.describeCluster();
          return true;
        } finally {
          await admin.disconnect();
        }
      },
      90_000,
      250,
    );
  }

  /** Controlled shutdown (SIGTERM), SIGKILL after 20 s. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM', 20_000);
  }

  /** A broker crash. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL', 10_000);
  }

  /** A hung broker (SIGSTOP): connections open, no answers, until `thaw()`. */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  /** Stops the broker and deletes its data dir. */
  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async signal(signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  private get configFile(): string {
    return join(this.dir, 'server.properties');
  }

  private get logOptions(): string[] {
    return [`-Dkafka.logs.dir=${join(this.dir, 'logs')}`, `-Dlog4j.configuration=file:${LOG4J}`];
  }
}

/** The stack's jars when `npm run stack -- up` fetched them, else fetched once for the tests. */
function kafkaLibs(): string {
  for (const dir of [STACK_LIBS, OWN_LIBS]) {
    if (existsSync(dir) && readdirSync(dir).some((f) => /^kafka_2\.13-.*\.jar$/.test(f))) {
      return dir;
    }
  }
  mkdirSync(OWN_LIBS, { recursive: true });
  execFileSync(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      join(ROOT, 'tools', 'kafka', 'pom.xml'),
      `-Dmaven.repo.local=${join(ROOT, '.stack', 'm2')}`,
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${OWN_LIBS}`,
    ],
    { stdio: 'pipe' },
  );
  return OWN_LIBS;
}

/** What StorageTool random-uuid prints: 16 random bytes, base64url, not starting with '-'. */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
