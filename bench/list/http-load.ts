import autocannon from 'autocannon';
import { Agent, get } from 'http';

export interface LatencyResult {
  p50: number;
  p99: number;
  errors: number;
}

/**
 * Open loop at a fixed offered rate: requests leave on schedule whether or not earlier ones
 * have answered, and latency counts from the scheduled time, so a stall shows in p99 instead
 * of silently lowering the rate (coordinated omission, which autocannon's `overallRate` has).
 */
export async function openLoop(
  url: string,
  headers: Record<string, string>,
  perSecond: number,
  seconds: number,
): Promise<LatencyResult> {
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
      status(url, headers, agent).then((code) => {
        if (code !== 200) errors += 1;
        latencies.push(performance.now() - due);
      }),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99), errors };
}

/**
 * Closed loop: autocannon with `connections` keep-alive connections, each sending its next
 * request on an answer. Its HTTP client is lean (raw sockets, pre-built requests), so the
 * generator is not what caps the bare server's figure.
 */
export async function throughput(
  url: string,
  headers: Record<string, string>,
  connections: number,
  seconds: number,
): Promise<{ perSecond: number; errors: number }> {
  const result = await autocannon({ url, headers, connections, duration: seconds });
  return {
    perSecond: result.requests.total / seconds,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

/** One GET, to its end: resolves with the status code (0 on a socket error). */
export function status(url: string, headers: Record<string, string>, agent?: Agent) {
  return new Promise<number>((resolve) => {
    get(url, { headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', () => resolve(0));
  });
}

/** One GET's body. */
export function body(url: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    }).on('error', reject);
  });
}
