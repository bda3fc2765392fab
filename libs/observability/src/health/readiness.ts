import { CheckResult, probe } from './dependency-checks';

export interface Readiness {
  status: 'ready' | 'not_ready';
  checks: Record<string, CheckResult>;
}

/** Each dependency is reported on its own; ready only when all are up. */
export async function readiness(
  checks: Record<string, () => Promise<unknown>>,
  timeoutMs: number,
): Promise<Readiness> {
  const names = Object.keys(checks);
  const results = await Promise.all(names.map((n) => probe(checks[n], timeoutMs)));
  const byName = Object.fromEntries(names.map((n, i) => [n, results[i]]));
  const ready = results.every((r) => r.status === 'up');
  return { status: ready ? 'ready' : 'not_ready', checks: byName };
}
