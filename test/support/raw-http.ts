import { Agent, request } from 'node:http';
import { AddressInfo } from 'node:net';
import { NestExpressApplication } from '@nestjs/platform-express';

export interface RawRequest {
  method: string;
  /** sent byte for byte as the request target: no normalisation, no encoding */
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** the parsed JSON body, or undefined when the body is not JSON */
  json: unknown;
}

/**
 * HTTP as a careless or hostile client sends it: supertest and fetch normalise paths (dot
 * segments, encodings), which would hide exactly the spellings these suites try. Every request
 * has a deadline, so a hang fails the test instead of stalling it.
 */
export class RawHttpClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 8 });

  constructor(
    private readonly port: number,
    private readonly timeoutMs = 5_000,
  ) {}

  /** Listens on an ephemeral loopback port if the app is not listening yet. */
  static async for(app: NestExpressApplication, timeoutMs?: number): Promise<RawHttpClient> {
    const server = app.getHttpServer();
    if (!server.listening) await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    return new RawHttpClient((server.address() as AddressInfo).port, timeoutMs);
  }

  send(req: RawRequest): Promise<RawResponse> {
    const body = req.body === undefined ? undefined : Buffer.from(req.body);
    const headers = { ...req.headers };
    if (body !== undefined) headers['content-length'] ??= String(body.length);
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          agent: this.agent,
          host: '127.0.0.1',
          port: this.port,
          method: req.method,
          path: req.path,
          headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: parse(text) });
          });
        },
      );
      outgoing.setTimeout(this.timeoutMs, () =>
        outgoing.destroy(
          new Error(`${req.method} ${req.path}: no answer within ${this.timeoutMs} ms`),
        ),
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
