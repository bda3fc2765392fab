import { Metrics } from '@app/observability';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { httpMetricsMiddleware } from './http-metrics.middleware';
import { serveOpenApi } from './openapi';
import { requestIdMiddleware } from './request-id.middleware';
import { sendError } from './send-error';

export const BODY_LIMIT = '1mb';

/**
 * Express-level setup shared by main.ts and the test harness. The app must be created with
 * `bodyParser: false`: the JSON parser is added here, followed by the handler that turns its
 * failures into Bifrost's 400 `Invalid JSON` (Nest's exception filters never see them).
 */
export async function configureHttp(app: NestExpressApplication): Promise<void> {
  const logger = await app.resolve(PinoLogger);
  logger.setContext('Http');
  app.disable('x-powered-by');
  app.use(requestIdMiddleware);
  app.use(httpMetricsMiddleware(app.get(Metrics)));
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) =>
    sendError(res, error, logger),
  );
  serveOpenApi(app);
}
