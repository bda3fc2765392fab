import { ChildProcess, spawn } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..');
const mainOf = (app: string) => join(ROOT, 'dist', 'apps', app, 'src', 'main.js');

/**
 * The compiled projector as a child process, so a test can SIGKILL it like a crash would.
 * The benchmark also runs the API (to read its memory) and the CLI's load generator this way.
 */
const PORT_ATTEMPTS = 5;

export class ProjectorProcess {
  private child: ChildProcess | null = null;
  private output = '';
  /** the HTTP port of the running process (`/health/ready`, `/metrics`, the API) */
  port = 0;

  constructor(
    private readonly env: Record<string, string>,
    private readonly app: 'projector' | 'api' | 'cli' = 'projector',
    private readonly appArgs: string[] = [],
    /** node flags before the script (e.g. a `-r` preload) */
    private readonly nodeFlags: string[] = [],
  ) {}

  start(): void {
    const main = mainOf(this.app);
    if (!existsSync(main)) throw new Error(`${main} is missing: run "npm run build" first`);
    this.spawn(main, PORT_ATTEMPTS);
  }

  private spawn(main: string, attemptsLeft: number): void {
    // Below Linux's ephemeral range (32768-60999), so no client socket holds it by chance.
    this.port = 20_000 + Math.floor(Math.random() * 12_000);
    const portVariable = this.app === 'api' ? 'PORT' : 'PROJECTOR_PORT';
    const nodeArgs = (process.env.PROJECTOR_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const args = [
      ...nodeArgs,
      ...this.nodeFlags,
      '-r',
      join(ROOT, 'scripts', 'register-paths.js'),
      main,
      ...this.appArgs,
    ];
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        [portVariable]: String(this.port),
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const from = this.output.length;
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    // The port was taken between picking it and listening (seen once in a full run: the
    // restarted projector exited at once and the test waited 90 s for it): try another.
    child.once('exit', (code) => {
      if (this.child !== child || code === 0 || child.signalCode !== null) return;
      if (attemptsLeft > 1 && this.output.slice(from).includes('EADDRINUSE')) {
        this.spawn(main, attemptsLeft - 1);
      }
    });
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the exit code once the process ends on its own. */
  async exited(timeoutMs: number): Promise<number | null> {
    const child = this.child;
    if (!child) return null;
    if (child.exitCode !== null) return child.exitCode;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.app} still running after ${timeoutMs} ms`)),
        timeoutMs,
      );
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** The hardest crash there is: no shutdown hook, no flush, no transaction end. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  /** Sends `signal` and resolves with the exit code once the process is gone. */
  async signal(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child;
    if (!child || !this.running) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    child.kill(signal);
    const code = await exited;
    this.child = null;
    return code;
  }

  get log(): string {
    return this.output;
  }
}
