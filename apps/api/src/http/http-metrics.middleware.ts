import { Metrics } from '@app/observability';
import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

export const DATA_SOURCE_HEADER = 'X-Data-Source';

/**
 * Latency of every request, by route template and read-model data source. A middleware rather
 * than an interceptor: it also times requests a guard refused or the body parser rejected.
 */
export function httpMetricsMiddleware(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    timeRequest(metrics, req.method, res, () => {
      // A direct route names itself (see directRoutes); Express names a controller's.
      return (res.locals.route as unknown) ?? (req.route as { path?: unknown } | undefined)?.path;
    });
    next();
  };
}

/** Observes the request's duration when its answer is sent; `routeOf` is asked then. */
export function timeRequest(
  metrics: Metrics,
  method: string,
  res: ServerResponse,
  routeOf: () => unknown,
): void {
  const stop = metrics.httpDuration.startTimer();
  res.once('finish', () => {
    const route = routeOf();
    const source = res.getHeader(DATA_SOURCE_HEADER);
    stop({
      method,
      // The template, never the raw path: ids would explode the label set.
      route: typeof route === 'string' ? route : 'unmatched',
      status: String(res.statusCode),
      data_source: typeof source === 'string' ? source : 'none',
    });
  });
}
