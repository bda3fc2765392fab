import { Metrics } from '@app/observability';
import { createServer, request, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { PinoLogger } from 'nestjs-pino';
import { ApiError } from './api-error';
import { digestOf } from './bearer-auth';
import { RawRoute, serveRawRoutes } from './raw-routes';

const PATH = '/api/things';
const AUTH = { authorization: 'Bearer right', 'content-type': 'application/json' };

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('serveRawRoutes', () => {
  const serve = jest.fn<Promise<unknown>, Parameters<RawRoute['serve']>>();
  const metrics = new Metrics();
  const logger = { error: jest.fn() } as unknown as PinoLogger;
  let server: Server;
  let port = 0;
  const byExpress: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      byExpress.push(`${req.method} ${req.url}`);
      res.end('express');
    });
    serveRawRoutes(server, [{ path: PATH, serve }], {
      keyDigests: [digestOf('right')],
      logger,
      metrics,
      etag: (body, encoding) => `W/"${Buffer.byteLength(body, encoding)}"`,
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((ok) => server.close(ok)));
  beforeEach(() => {
    serve.mockReset();
    byExpress.length = 0;
  });

  const send = (method: string, path: string, headers: Record<string, string>, body = '{}') =>
    new Promise<Answer>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });

  it.each([
    ['another method', 'PUT', PATH, AUTH],
    ['a query string', 'POST', `${PATH}?a=1`, AUTH],
    ['another spelling of the path', 'POST', `${PATH}/`, AUTH],
    ['no credentials', 'POST', PATH, { 'content-type': 'application/json' }],
    ['a wrong key', 'POST', PATH, { ...AUTH, authorization: 'Bearer wrong' }],
    [
      'the key as x-api-key',
      'POST',
      PATH,
      { 'x-api-key': 'right', 'content-type': 'application/json' },
    ],
    ['a gzip body', 'POST', PATH, { ...AUTH, 'content-encoding': 'gzip' }],
    ['a +json type', 'POST', PATH, { ...AUTH, 'content-type': 'application/problem+json' }],
  ])('leaves %s to Express', async (_, method, path, headers) => {
    expect((await send(method, path, headers)).body).toBe('express');
    expect(byExpress).toEqual([`${method} ${path}`]);
    expect(serve).not.toHaveBeenCalled();
  });

  it("answers 200 with the route's body and Express's headers, the key kept out of the route", async () => {
    serve.mockImplementation((_body, res) => {
      res.setHeader('Retry-After', '3');
      return Promise.resolve({ ok: 'é' });
    });
    const answer = await send('POST', PATH, { ...AUTH, 'x-request-id': 'gw-1' }, '{"a":[1]}');
    expect(byExpress).toEqual([]);
    expect(serve).toHaveBeenCalledWith({ a: [1] }, expect.anything());
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('{"ok":"é"}');
    expect(answer.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength('{"ok":"é"}')),
      etag: 'W/"11"',
      'x-request-id': 'gw-1',
      'retry-after': '3',
    });
    const [{ res }] = serve.mock.calls.map(([, r]) => ({ res: r }));
    expect(res.req.headers.authorization).toBeUndefined();
  });

  it('gives a fresh request id when the caller sent none or an unsafe one', async () => {
    serve.mockResolvedValue({});
    const none = await send('POST', PATH, AUTH);
    const unsafe = await send('POST', PATH, { ...AUTH, 'x-request-id': 'a b' });
    for (const { headers } of [none, unsafe]) {
      expect(headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("answers a body that is not JSON, and the route's failure, with the API's error body", async () => {
    const notJson = await send('POST', PATH, AUTH, '{"a":');
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body)).toMatchObject({ error: { message: 'Invalid JSON' } });
    serve.mockRejectedValue(new ApiError('unavailable', 'Redis is unavailable: ECONNREFUSED'));
    const failed = await send('POST', PATH, AUTH);
    expect(failed.status).toBe(503);
    expect(JSON.parse(failed.body)).toEqual({
      is_bifrost_error: false,
      status_code: 503,
      error: { message: 'Redis is unavailable: ECONNREFUSED' },
      extra_fields: {},
    });
  });

  it('logs an internal failure with its request id, never the key', async () => {
    serve.mockRejectedValue(new TypeError('boom'));
    const answer = await send('POST', PATH, { ...AUTH, 'x-request-id': 'gw-500' });
    expect(answer.status).toBe(500);
    const [[fields]] = (logger.error as jest.Mock).mock.calls as [[Record<string, unknown>]][];
    expect(fields).toMatchObject({ requestId: 'gw-500', req: { method: 'POST', url: PATH } });
    expect(JSON.stringify(fields)).not.toContain('Bearer right');
  });

  it('times every answer under the route template', async () => {
    serve.mockResolvedValue({});
    await send('POST', PATH, AUTH);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(
      /usage_ledger_http_request_duration_seconds_count\{method="POST",route="\/api\/things",status="200",data_source="none"\} [1-9]/,
    );
  });
});
