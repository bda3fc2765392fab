import { Metrics } from '@app/observability';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { Application, NextFunction, Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { AdmitRequestHandler } from '../admissions/admit-request/admit-request.handler';
import {
  admitRequestRawRoute,
  admitRequestRoute,
} from '../admissions/admit-request/admit-request.direct-route';
import { API_KEY_DIGESTS } from '../api.tokens';
import { ListModelConfigsHandler } from '../model-configs/list-model-configs/list-model-configs.handler';
import { listModelConfigsRoute } from '../model-configs/list-model-configs/list-model-configs.direct-route';
import { answerClientErrorsWithErrorBody } from './client-errors';
import { directRoutes } from './direct-routes';
import { httpMetricsMiddleware } from './http-metrics.middleware';
import { serveOpenApi } from './openapi';
import { RawRouteDeps, serveRawRoutes } from './raw-routes';
import { BODY_LIMIT, JSON_MEDIA_TYPES, jsonBodyOnly, verifyUtf8 } from './request-body';
import { requestIdMiddleware } from './request-id.middleware';
import { sendError } from './send-error';

/**
 * Express-level setup shared by main.ts and the test harness. The app must be created with
 * `bodyParser: false`: the JSON parser is added here, behind the check that a body is JSON, and
 * followed by the handler that turns their failures (not JSON, unparsable, too large, not what
 * its Content-Encoding says) into Bifrost's error body: Nest's exception filters never see them.
 * The hot routes are then answered directly (see directRoutes), everything else by Nest; the
 * admission route's plain requests are answered before Express (see serveRawRoutes).
 */
export async function configureHttp(app: NestExpressApplication): Promise<void> {
  const logger = await app.resolve(PinoLogger);
  logger.setContext('Http');
  app.disable('x-powered-by');
  answerClientErrorsWithErrorBody(app.getHttpServer());
  const metrics = app.get(Metrics);
  const keyDigests = app.get<readonly Buffer[]>(API_KEY_DIGESTS);
  app.use(requestIdMiddleware);
  app.use(httpMetricsMiddleware(metrics));
  app.use(jsonBodyOnly);
  app.useBodyParser('json', { limit: BODY_LIMIT, type: JSON_MEDIA_TYPES, verify: verifyUtf8 });
  app.use(
    directRoutes(
      [
        listModelConfigsRoute(app.get(ListModelConfigsHandler)),
        admitRequestRoute(app.get(AdmitRequestHandler)),
      ],
      keyDigests,
      logger,
    ),
  );
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) =>
    sendError(res, error, logger),
  );
  serveOpenApi(app);
  const express = app.getHttpAdapter().getInstance() as Application;
  serveRawRoutes(app.getHttpServer(), [admitRequestRawRoute(app.get(AdmitRequestHandler))], {
    keyDigests,
    logger,
    metrics,
    etag: express.get('etag fn') as RawRouteDeps['etag'],
  });
}
