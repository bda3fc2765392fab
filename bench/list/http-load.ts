import autocannon from 'autocannon';
import { Agent, get } from 'http';
import { openLoop, quantile } from '../support/open-loop';

export interface LatencyResult {
  p50: number;
  p99: number;
  errors: number;
}

/** Open loop of GETs at a fixed offered rate (see openLoop): p50 and p99 from the schedule. */
export async function openLoopGet(
  url: string,
  headers: Record<string, string>,
  perSecond: number,
  seconds: number,
): Promise<LatencyResult> {
  const run = await openLoop((agent) => status(url, headers, agent), perSecond, seconds);
  return {
    p50: quantile(run.latencies, 0.5),
    p99: quantile(run.latencies, 0.99),
    errors: run.errors,
  };
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
