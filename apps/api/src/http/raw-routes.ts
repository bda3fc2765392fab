import { Metrics } from '@app/observability';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { PinoLogger } from 'nestjs-pino';
import { authenticate } from './bearer-auth';
import { timeRequest } from './http-metrics.middleware';
import { isPlainJsonBody, parsePlainJson } from './raw-json-body';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id.middleware';
import { respondWithError } from './send-error';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** A JSON POST route answered from the server's own 'request' event, before Express. */
export interface RawRoute {
  /** the exact path; a query string, like any other spelling, goes to Express */
  path: string;
  /** the controller's own code: may set headers, resolves with the 200 body or throws */
  serve(body: unknown, res: ServerResponse): Promise<unknown>;
}

export interface RawRouteDeps {
  keyDigests: readonly Buffer[];
  logger: PinoLogger;
  metrics: Metrics;
  /** Express's ETag generator ('etag fn'), so an answer carries the ETag Express would set */
  etag: ((body: string, encoding: 'utf8') => string | undefined) | undefined;
}

/**
 * The admission route, which gateways call before every model call, costs several times its own
 * work in Express (router, middleware chain, body parser, res.json: profiled). Requests the
 * raw lane can answer exactly as Express would are taken here: the exact method and path,
 * valid credentials, a plain UTF-8 JSON body (see isPlainJsonBody). They get what the
 * middleware chain gives (request id, latency metric, error body, the key out of logs) and
 * Express's JSON writer's headers. Every other request goes on to Express unchanged, so a
 * missing key still gets the guard's exact 401 and a gzip body the body parser's answers.
 */
export function serveRawRoutes(server: Server, routes: readonly RawRoute[], deps: RawRouteDeps) {
  const express = server.listeners('request') as Listener[];
  const byPath = new Map(routes.map((r) => [r.path, r]));
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const route = req.method === 'POST' ? byPath.get(req.url ?? '') : undefined;
    if (route === undefined || !takes(req, deps.keyDigests)) {
      for (const listener of express) listener.call(server, req, res);
      return;
    }
    answer(route, req, res, deps);
  });
}

function takes(req: IncomingMessage, keyDigests: readonly Buffer[]): boolean {
  const { headers } = req;
  if (!isPlainJsonBody(headers)) return false;
  const auth = headers.authorization;
  const key = headers['x-api-key'];
  return authenticate(auth, typeof key === 'string' ? key : key?.[0], keyDigests).ok;
}

function answer(route: RawRoute, req: IncomingMessage, res: ServerResponse, deps: RawRouteDeps) {
  const incomingId = req.headers['x-request-id'];
  res.setHeader(REQUEST_ID_HEADER, requestIdOf(typeof incomingId === 'string' ? incomingId : ''));
  timeRequest(deps.metrics, 'POST', res, () => route.path);
  // As the guard does: the key never reaches a log line.
  delete req.headers.authorization;
  const fail = (error: unknown) =>
    respondWithError(res, error, deps.logger, (status, body) => writeJson(res, status, body, deps));
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.once('error', fail);
  req.once('end', () => {
    let body: unknown;
    try {
      body = parsePlainJson(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    } catch (error) {
      fail(error);
      return;
    }
    route.serve(body, res).then((value) => writeJson(res, 200, value, deps), fail);
  });
}

/**
 * res.status(status).json(value) of Express, with its headers. The body stays a string: Node
 * then sends head and body in one write, where a Buffer (what Express passes) costs a writev.
 */
function writeJson(res: ServerResponse, status: number, value: unknown, deps: RawRouteDeps) {
  const text = JSON.stringify(value);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text, 'utf8'));
  const tag = deps.etag?.(text, 'utf8');
  if (tag) res.setHeader('ETag', tag);
  res.end(text, 'utf8');
}
