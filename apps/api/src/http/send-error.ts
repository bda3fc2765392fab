import { loggableRequest } from '@app/observability';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { bifrostErrorBody } from './api-error';
import { errorResponseOf } from './error-response';
import { REQUEST_ID_HEADER } from './request-id.middleware';

/** Writes the error body; an internal failure is logged with the id the caller also gets. */
export function sendError(res: Response, exception: unknown, logger: PinoLogger): void {
  respondWithError(res, exception, logger, (status, body) => res.status(status).json(body));
}

/** sendError on any response, with the writer of its transport (Express's, or the raw lane's). */
export function respondWithError(
  res: ServerResponse<IncomingMessage>,
  exception: unknown,
  logger: PinoLogger,
  writeJson: (status: number, body: unknown) => void,
): void {
  const { status, message, internal } = errorResponseOf(exception);
  if (internal) {
    logger.error(
      {
        err: exception,
        requestId: res.getHeader(REQUEST_ID_HEADER),
        req: loggableRequest(res.req),
      },
      'request failed',
    );
  }
  if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  if (res.headersSent) return;
  writeJson(status, bifrostErrorBody(status, message));
}
