import { join } from 'path';
import { ProjectorProcess } from './projector-process';
import { TEST_ENV } from './test-env';

export interface CliRun {
  code: number | null;
  /** stdout and stderr, interleaved */
  output: string;
}

/** The compiled CLI's `replay <verb>` as a child process (a build can then be SIGKILLed). */
export function replayProcess(
  args: string[],
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): ProjectorProcess {
  return new ProjectorProcess({ ...TEST_ENV, ...env }, 'cli', ['replay', ...args], nodeArgs);
}

export async function runReplay(
  args: string[],
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
  timeoutMs = 120_000,
): Promise<CliRun> {
  const cli = replayProcess(args, env, nodeArgs);
  cli.start();
  const code = await cli.exited(timeoutMs);
  return { code, output: cli.log };
}

/** Node arguments that move the child's wall clock by `ms` (test/support/shifted-clock.js). */
export function shiftedClock(ms: number): { env: Record<string, string>; nodeArgs: string[] } {
  return {
    env: { CLOCK_SHIFT_MS: String(ms) },
    nodeArgs: ['-r', join(__dirname, 'shifted-clock.js')],
  };
}

/** The one line of the output that is a JSON object with `key` (a result, not a progress line). */
export function jsonLine<T>(output: string, key: string): T {
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      if (key in parsed) return parsed as T;
    } catch {
      // not JSON after all: a log line
    }
  }
  throw new Error(`no JSON line with "${key}" in:\n${output}`);
}
