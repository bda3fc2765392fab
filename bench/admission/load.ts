import { Agent, request } from 'http';
import { openLoop, quantile } from '../support/open-loop';

/** One HTTP target of the load: a listening server and the body sent to it. */
export interface Target {
  port: number;
  path: string;
  headers: Record<string, string>;
  /** a new body per request (request ids must be unique) */
  body: () => string;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  /** latency percentiles in milliseconds */
  p50: number;
  p99: number;
  errors: number;
}

/** Closed loop: `connections` keep-alive connections, each sending its next request on an answer. */
export async function closedLoop(target: Target, connections: number, seconds: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const sent = performance.now();
        if ((await send(target, agent)) !== 200) errors += 1;
        latencies.push(performance.now() - sent);
      }
    }),
  );
  agent.destroy();
  return summarize(latencies, (performance.now() - started) / 1000, errors);
}

/** Open loop at a fixed rate (see openLoop), one new body per request. */
export async function fixedRate(target: Target, perSecond: number, seconds: number) {
  const run = await openLoop((agent) => send(target, agent), perSecond, seconds);
  return summarize(run.latencies, run.seconds, run.errors);
}

/** Sends one request; resolves with its status and the parsed JSON body. */
export function call(
  target: Target,
  agent: Agent,
  body = target.body(),
): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: target.port,
        path: target.path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', ...target.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function send(target: Target, agent: Agent): Promise<number> {
  try {
    return (await call(target, agent)).status;
  } catch {
    return 0;
  }
}

function summarize(latencies: number[], seconds: number, errors: number): LoadResult {
  const sorted = latencies.sort((a, b) => a - b);
  return {
    requests: sorted.length,
    seconds,
    perSecond: sorted.length / seconds,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    errors,
  };
}
