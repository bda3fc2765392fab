import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const REQUEST_ID_HEADER = 'X-Request-Id';
// An incoming id is echoed only when it cannot smuggle anything into logs or headers.
const SAFE_ID = /^[\w.:-]{1,128}$/;

/** The correlation id of a request: the caller's when it sent a sane one, a fresh uuid if not. */
export function requestIdOf(incoming: string | undefined): string {
  return incoming && SAFE_ID.test(incoming) ? incoming : randomUUID();
}

export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  res.setHeader(REQUEST_ID_HEADER, requestIdOf(req.header(REQUEST_ID_HEADER)));
  next();
}
