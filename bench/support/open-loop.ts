import { Agent } from 'http';

export interface OpenLoopResult {
  /** latencies in milliseconds, each from its request's scheduled send time, ascending */
  latencies: number[];
  seconds: number;
  /** answers other than 200, and requests that failed on the socket */
  errors: number;
}

/**
 * Open loop at a fixed offered rate: requests leave on schedule whether or not earlier ones
 * have answered, and latency counts from the scheduled time, so a stall shows in p99 instead
 * of silently lowering the rate (coordinated omission).
 */
export async function openLoop(
  send: (agent: Agent) => Promise<number>,
  perSecond: number,
  seconds: number,
): Promise<OpenLoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round(perSecond * seconds);
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  let errors = 0;
  const started = performance.now();
  for (let i = 0; i < total; i += 1) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(
      send(agent).then((status) => {
        if (status !== 200) errors += 1;
        latencies.push(performance.now() - due);
      }),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  return {
    latencies: latencies.sort((a, b) => a - b),
    seconds: (performance.now() - started) / 1000,
    errors,
  };
}

/** The q-quantile of ascending values. */
export const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
