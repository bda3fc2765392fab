import { HttpException } from '@nestjs/common';
import { GovernanceError } from '@app/governance';
import { ApiError, fromGovernanceError, httpStatusOf, INTERNAL_ERROR_MESSAGE } from './api-error';
import { bodyParserError } from './request-body';

export interface ErrorResponse {
  status: number;
  message: string;
  /** an unexpected failure: its cause is logged, never sent */
  internal: boolean;
}

/** The one place an exception becomes an HTTP status and a message. */
export function errorResponseOf(exception: unknown): ErrorResponse {
  const known = knownError(exception);
  if (known) return { status: httpStatusOf(known.code), message: known.message, internal: false };
  if (exception instanceof HttpException) {
    // Nest's own: an unknown route or method.
    const status = exception.getStatus();
    return status >= 500
      ? { status: 500, message: INTERNAL_ERROR_MESSAGE, internal: true }
      : { status, message: exception.message, internal: false };
  }
  return { status: 500, message: INTERNAL_ERROR_MESSAGE, internal: true };
}

function knownError(exception: unknown): ApiError | null {
  if (exception instanceof ApiError) return exception;
  if (exception instanceof GovernanceError) return fromGovernanceError(exception);
  return bodyParserError(exception);
}
