import type { NextFunction, Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { authenticate } from './bearer-auth';
import { sendError } from './send-error';

/** A hot route answered without Nest's router: same handler, same answer, less per request. */
export interface DirectRoute {
  method: 'GET' | 'POST';
  /** the exact path, as the strict, case-sensitive router matches the controller's */
  path: string;
  /** the controller's own code: sets headers, resolves with the 200 body or throws */
  serve(req: Request, res: Response): Promise<unknown>;
}

/**
 * The read and admission routes gateways poll at thousands of requests per second, served
 * right after the body parser: Nest's router, guard, pipes and buses cost more than the work
 * itself (profiled). Only a request the controller would answer 200 for, or fail from its
 * handler, is taken: one without valid credentials goes on to Nest for the guard's exact 401,
 * and anything that is not exactly a direct route's method and path never stops here. The
 * controllers stay (OpenAPI, and every request not taken), built on the same functions.
 */
export function directRoutes(
  routes: readonly DirectRoute[],
  keyDigests: readonly Buffer[],
  logger: PinoLogger,
) {
  const byRoute = new Map(routes.map((r) => [`${r.method} ${r.path}`, r]));
  return (req: Request, res: Response, next: NextFunction): void => {
    const route = byRoute.get(`${req.method} ${req.path}`);
    if (route === undefined) return next();
    const outcome = authenticate(req.header('authorization'), req.header('x-api-key'), keyDigests);
    if (!outcome.ok) return next();
    // As the guard does: the key never reaches a log line.
    delete req.headers.authorization;
    res.locals.route = route.path;
    route.serve(req, res).then(
      (body) => res.status(200).json(body),
      (error: unknown) => sendError(res, error, logger),
    );
  };
}
