import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { API_KEY_DIGESTS } from '../api.tokens';
import { ApiError } from './api-error';
import { authenticate } from './bearer-auth';

export const PROTECTED_PREFIX = '/api/';

/** Every /api/* route needs a governance API key; /health*, /metrics and /docs do not. */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(@Inject(API_KEY_DIGESTS) private readonly keyDigests: readonly Buffer[]) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (!req.path.startsWith(PROTECTED_PREFIX)) return true;
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
