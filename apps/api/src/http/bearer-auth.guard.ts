import { CanActivate, ExecutionContext, Inject, Injectable, Type } from '@nestjs/common';
import { HealthController } from '@app/observability';
import type { Request } from 'express';
import { API_KEY_DIGESTS } from '../api.tokens';
import { ApiError } from './api-error';
import { authenticate } from './bearer-auth';

/** Controllers any caller may reach: liveness, readiness and metrics. */
export const OPEN_CONTROLLERS: ReadonlySet<Type> = new Set([HealthController]);

/**
 * Every route handler needs a governance API key unless its controller is listed as open.
 * The decision is made per handler, never from the request's path: any spelling of a path that
 * reaches a handler is held to that handler's rule, and a new route is protected by default.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(@Inject(API_KEY_DIGESTS) private readonly keyDigests: readonly Buffer[]) {}

  canActivate(context: ExecutionContext): boolean {
    if (OPEN_CONTROLLERS.has(context.getClass())) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const outcome = authenticate(
      req.header('authorization'),
      req.header('x-api-key'),
      this.keyDigests,
    );
    if (!outcome.ok) throw new ApiError('unauthorized', outcome.message);
    // The request logger serialises headers: a key must never reach a log line.
    delete req.headers.authorization;
    return true;
  }
}
