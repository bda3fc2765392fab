import { Metrics } from '@app/observability';
import type { NextFunction, Request, Response } from 'express';

export const DATA_SOURCE_HEADER = 'X-Data-Source';

/**
 * Latency of every request, by route template and read-model data source. A middleware rather
 * than an interceptor: it also times requests a guard refused or the body parser rejected.
 */
export function httpMetricsMiddleware(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const stop = metrics.httpDuration.startTimer();
    res.once('finish', () => {
      // A direct route names itself (see directRoutes); Express names a controller's.
      const route =
        (res.locals.route as unknown) ?? (req.route as { path?: unknown } | undefined)?.path;
      const source = res.getHeader(DATA_SOURCE_HEADER);
      stop({
        method: req.method,
        // The template, never the raw path: ids would explode the label set.
        route: typeof route === 'string' ? route : 'unmatched',
        status: String(res.statusCode),
        data_source: typeof source === 'string' ? source : 'none',
      });
    });
    next();
  };
}
