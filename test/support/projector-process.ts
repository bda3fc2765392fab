import { ChildProcess, spawn } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..');
const mainOf = (app: string) => join(ROOT, 'dist', 'apps', app, 'src', 'main.js');

/**
 * The compiled projector as a child process, so a test can SIGKILL it like a crash would.
 * The benchmark also runs the API (to read its memory) and the CLI's load generator this way.
 */
export class ProjectorProcess {
  private child: ChildProcess | null = null;
  private output = '';

  constructor(
    private readonly env: Record<string, string>,
    private readonly app: 'projector' | 'api' | 'cli' = 'projector',
    private readonly appArgs: string[] = [],
  ) {}

  start(): void {
    const MAIN = mainOf(this.app);
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first`);
    const port = String(20_000 + Math.floor(Math.random() * 20_000));
    const nodeArgs = (process.env.PROJECTOR_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const args = [
      ...nodeArgs,
      '-r',
      join(ROOT, 'scripts', 'register-paths.js'),
      MAIN,
      ...this.appArgs,
    ];
    this.child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, PROJECTOR_PORT: port, ...this.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
  }

  /** The hardest crash there is: no shutdown hook, no flush, no transaction end. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    this.child = null;
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

  get log(): string {
    return this.output;
  }
}
