import { ChildProcess, spawn } from 'child_process';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..');

/** A compiled service or script in its own process; its output is kept for a failure report. */
export class NodeProcess {
  private output = '';
  private readonly child: ChildProcess;

  constructor(args: string[], env: Record<string, string>) {
    this.child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
  }

  /** The baseline server; resolves with the port it printed. */
  static async bareServer(): Promise<[NodeProcess, number]> {
    const script = join(__dirname, 'bare-server.ts');
    const p = new NodeProcess(['-r', 'ts-node/register/transpile-only', script], {});
    const port = await waitFor('the bare server', async () => Number(p.output.trim()) || 0);
    return [p, port];
  }

  get pid(): number {
    return this.child.pid!;
  }

  get log(): string {
    return this.output;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** Polls until `check` gives a truthy value, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
