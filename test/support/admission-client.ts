import { Agent, request } from 'http';
import { RunningApi } from './api-harness';

export const ADMISSIONS = '/api/governance/admissions';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/**
 * A keep-alive HTTP client on a listening API: hundreds of truly concurrent requests, which an
 * in-process supertest call per request would not give.
 */
export class AdmissionClient {
  private readonly agent: Agent;

  private constructor(
    private readonly port: number,
    maxSockets: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  /** `maxSockets`: how many requests are in flight at once; the rest wait in the agent. */
  static async on(api: RunningApi, maxSockets = 64): Promise<AdmissionClient> {
    await api.app.listen(0, '127.0.0.1');
    const address = api.app.getHttpServer().address() as { port: number };
    return new AdmissionClient(address.port, maxSockets);
  }

  admit(body: Record<string, unknown>, key = 'test-key'): Promise<HttpAnswer> {
    return this.call('POST', ADMISSIONS, key, JSON.stringify(body));
  }

  release(requestId: string, key = 'test-key'): Promise<HttpAnswer> {
    return this.call('DELETE', `${ADMISSIONS}/${encodeURIComponent(requestId)}`, key);
  }

  close(): void {
    this.agent.destroy();
  }

  private call(method: string, path: string, key: string, body?: string): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}
