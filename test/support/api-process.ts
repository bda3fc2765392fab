import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './wait-for';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');

/** The compiled API as its own process, its log (stdout and stderr) kept for the test to read. */
export class ApiProcess {
  private child: ChildProcess | null = null;
  private output = '';
  // Below Linux's ephemeral range (32768-60999), so no client socket holds it (or port + 1,
  // the projector's) by chance; see ProjectorProcess.
  readonly port = 20_000 + Math.floor(Math.random() * 12_000);

  constructor(private readonly env: Record<string, string>) {}

  async start(): Promise<void> {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first`);
    this.child = spawn(process.execPath, ['-r', join(ROOT, 'scripts', 'register-paths.js'), MAIN], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...this.env,
        HOST: '127.0.0.1',
        PORT: String(this.port),
        PROJECTOR_PORT: String(this.port + 1),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    await waitFor(
      'the API process to answer /health',
      async () => {
        if (this.child?.exitCode !== null) throw new Error(`the API exited:\n${this.output}`);
        const res = await fetch(`http://127.0.0.1:${this.port}/health`).catch(() => null);
        return res?.ok === true;
      },
      60_000,
      200,
    );
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    this.child = null;
  }

  get log(): string {
    return this.output;
  }
}
