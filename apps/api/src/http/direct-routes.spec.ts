import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { ApiError } from './api-error';
import { digestOf } from './bearer-auth';
import { DirectRoute, directRoutes } from './direct-routes';

const KEYS = [digestOf('right')];

function fakeRequest(method: string, path: string, headers: Record<string, string>) {
  return {
    method,
    path,
    headers: { ...headers },
    header: (name: string) => headers[name.toLowerCase()],
  } as unknown as Request;
}

interface FakeResponse {
  locals: Record<string, unknown>;
  headersSent: boolean;
  status: jest.Mock;
  json: jest.Mock;
  setHeader: jest.Mock;
  getHeader: jest.Mock;
}

function fakeResponse(): FakeResponse {
  const res: FakeResponse = {
    locals: {},
    headersSent: false,
    status: jest.fn(),
    json: jest.fn(),
    setHeader: jest.fn(),
    getHeader: jest.fn(),
  };
  res.status.mockReturnValue(res);
  res.json.mockReturnValue(res);
  return res;
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('directRoutes', () => {
  const serve = jest.fn<Promise<unknown>, [Request, Response]>();
  const route: DirectRoute = { method: 'GET', path: '/api/things', serve };
  const middleware = directRoutes([route], KEYS, { error: jest.fn() } as unknown as PinoLogger);

  beforeEach(() => serve.mockReset());

  it.each([
    ['another method', 'POST', '/api/things'],
    ['another spelling of the path', 'GET', '/api/things/'],
    ['another case', 'GET', '/API/things'],
  ])('leaves %s to Nest', (_, method, path) => {
    const next = jest.fn();
    middleware(
      fakeRequest(method, path, { authorization: 'Bearer right' }),
      fakeResponse() as never,
      next,
    );
    expect(next).toHaveBeenCalledWith();
    expect(serve).not.toHaveBeenCalled();
  });

  it.each([
    ['no credentials', {}],
    ['a wrong key', { authorization: 'Bearer wrong' }],
    ['x-api-key', { 'x-api-key': 'right' }],
  ])('leaves a request with %s to the guard, for its exact 401', (_, headers) => {
    const next = jest.fn();
    middleware(fakeRequest('GET', '/api/things', headers), fakeResponse() as never, next);
    expect(next).toHaveBeenCalledWith();
    expect(serve).not.toHaveBeenCalled();
  });

  it('serves an authenticated request: 200 with the body, the key dropped, the route named', async () => {
    serve.mockResolvedValue({ ok: true });
    const req = fakeRequest('GET', '/api/things', { authorization: 'Bearer right' });
    const res = fakeResponse();
    const next = jest.fn();
    middleware(req, res as never, next);
    await settled();
    expect(next).not.toHaveBeenCalled();
    expect(req.headers.authorization).toBeUndefined();
    expect(res.locals.route).toBe('/api/things');
    expect(res.status).toHaveBeenCalledWith(200);
    expect(res.json).toHaveBeenCalledWith({ ok: true });
  });

  it("answers the handler's failure with the API's error body", async () => {
    serve.mockRejectedValue(new ApiError('bad_request', 'Invalid limit parameter'));
    const res = fakeResponse();
    middleware(
      fakeRequest('GET', '/api/things', { authorization: 'Bearer right' }),
      res as never,
      jest.fn(),
    );
    await settled();
    expect(res.status).toHaveBeenCalledWith(400);
    expect(res.json).toHaveBeenCalledWith(
      expect.objectContaining({ status_code: 400, error: { message: 'Invalid limit parameter' } }),
    );
  });
});
