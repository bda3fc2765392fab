import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { ApiError, ApiErrorCode, badRequest } from './api-error';

export const BODY_LIMIT = '1mb';
/** What the JSON parser reads; `+json` types (e.g. `application/merge-patch+json`) are JSON too. */
export const JSON_MEDIA_TYPES = ['application/json', 'application/*+json'];
export const SUPPORTED_ENCODINGS = 'gzip, deflate, br or none';

/**
 * A body is JSON or nothing: one in another media type (or without a Content-Type) is refused
 * with 415 instead of reaching a handler as "no body". An empty body is no body whatever its
 * Content-Type, so `DELETE` with `Content-Length: 0` stays fine.
 */
export function jsonBodyOnly(req: Request, _res: Response, next: NextFunction): void {
  const declaresBody =
    req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > 0;
  if (declaresBody && !req.is(JSON_MEDIA_TYPES)) {
    next(new ApiError('unsupported_media_type', 'Unsupported Content-Type: send application/json'));
    return;
  }
  next();
}

/**
 * The JSON parser's `verify` hook, on the raw bytes: JSON is UTF-8 (RFC 8259). Without it,
 * invalid bytes would be decoded to U+FFFD and stored as if the client had sent that.
 */
export function verifyUtf8(
  _req: IncomingMessage,
  _res: ServerResponse,
  body: Buffer,
  charset: string,
): void {
  if (charset !== 'utf-8') {
    throw new ApiError('unsupported_media_type', 'Unsupported charset: send UTF-8 JSON');
  }
  if (!isUtf8(body))
    throw new ApiError('invalid_json', 'Invalid JSON: the body is not valid UTF-8');
}

type KnownFailure = readonly [ApiErrorCode, string];
const INVALID_JSON: KnownFailure = ['invalid_json', 'Invalid JSON'];
const UNSUPPORTED_ENCODING: KnownFailure = [
  'unsupported_media_type',
  `Unsupported Content-Encoding: use ${SUPPORTED_ENCODINGS}`,
];

/** body-parser's failures carry a `type`: see https://github.com/expressjs/body-parser#errors */
const BODY_PARSER_ERRORS = new Map<unknown, KnownFailure>([
  ['entity.parse.failed', INVALID_JSON],
  ['request.aborted', INVALID_JSON],
  ['request.size.invalid', INVALID_JSON],
  ['entity.too.large', ['payload_too_large', 'Request body too large']],
  ['encoding.unsupported', UNSUPPORTED_ENCODING],
  ['charset.unsupported', ['unsupported_media_type', 'Unsupported charset: send UTF-8 JSON']],
]);

/**
 * body-parser's failures as API errors, and a body that is not what its Content-Encoding says:
 * zlib's errors (gzip, deflate: Z_*; brotli: ERR__ERROR_*) carry no body-parser `type`.
 */
export function bodyParserError(exception: unknown): ApiError | null {
  const { type, code, errno } = (exception ?? {}) as Record<string, unknown>;
  const known = BODY_PARSER_ERRORS.get(type);
  if (known) return new ApiError(...known);
  if (typeof errno === 'number' && typeof code === 'string' && /^(Z_|ERR__ERROR_)/.test(code)) {
    return badRequest('Invalid body: it is not encoded as its Content-Encoding says');
  }
  return null;
}
