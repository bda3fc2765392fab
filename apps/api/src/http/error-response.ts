import { HttpException } from '@nestjs/common';
import { GovernanceError } from '@app/governance';
import {
  ApiError,
  ApiErrorCode,
  fromGovernanceError,
  httpStatusOf,
  INTERNAL_ERROR_MESSAGE,
} from './api-error';

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

type KnownFailure = readonly [ApiErrorCode, string];
const INVALID_JSON: KnownFailure = ['invalid_json', 'Invalid JSON'];

/** body-parser's failures carry a `type`: see https://github.com/expressjs/body-parser#errors */
const BODY_PARSER_ERRORS = new Map<unknown, KnownFailure>([
  ['entity.parse.failed', INVALID_JSON],
  ['encoding.unsupported', INVALID_JSON],
  ['charset.unsupported', INVALID_JSON],
  ['request.aborted', INVALID_JSON],
  ['request.size.invalid', INVALID_JSON],
  ['entity.too.large', ['payload_too_large', 'Request body too large']],
]);

function bodyParserError(exception: unknown): ApiError | null {
  const known = BODY_PARSER_ERRORS.get((exception as { type?: unknown } | null)?.type);
  return known ? new ApiError(...known) : null;
}
