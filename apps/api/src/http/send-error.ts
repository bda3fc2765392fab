import { loggableRequest } from '@app/observability';
import type { Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { bifrostErrorBody } from './api-error';
import { errorResponseOf } from './error-response';
import { REQUEST_ID_HEADER } from './request-id.middleware';

/** Writes the error body; an internal failure is logged with the id the caller also gets. */
export function sendError(res: Response, exception: unknown, logger: PinoLogger): void {
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
  res.status(status).json(bifrostErrorBody(status, message));
}
