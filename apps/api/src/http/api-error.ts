import { GovernanceError } from '@app/governance';

/** Every way an API request can fail; each maps to exactly one HTTP status below. */
export const API_ERROR_CODES = [
  'bad_request',
  'invalid_json',
  'unauthorized',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'unavailable',
  'internal',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Bifrost's error body (`schemas.BifrostError` with omitempty fields left out). */
export interface BifrostErrorBody {
  is_bifrost_error: false;
  status_code: number;
  error: { message: string };
  extra_fields: Record<string, never>;
}

export function httpStatusOf(code: ApiErrorCode): number {
  switch (code) {
    case 'bad_request':
    case 'invalid_json':
      return 400;
    case 'unauthorized':
      return 401;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'unavailable':
      return 503;
    case 'internal':
      return 500;
  }
}

/** The domain's codes, mapped once. */
export function fromGovernanceError(error: GovernanceError): ApiError {
  switch (error.code) {
    case 'invalid_model_config':
    case 'scope_immutable':
    case 'invalid_history_range':
      return new ApiError('bad_request', error.message);
    case 'identity_conflict':
    case 'version_conflict':
      return new ApiError('conflict', error.message);
    case 'not_found':
      return new ApiError('not_found', error.message);
  }
}

export function bifrostErrorBody(status: number, message: string): BifrostErrorBody {
  return { is_bifrost_error: false, status_code: status, error: { message }, extra_fields: {} };
}

export const INTERNAL_ERROR_MESSAGE = 'Internal server error';
export const MODEL_CONFIG_NOT_FOUND = 'Model config not found';
export const notFound = (): ApiError => new ApiError('not_found', MODEL_CONFIG_NOT_FOUND);
export const badRequest = (message: string): ApiError => new ApiError('bad_request', message);
