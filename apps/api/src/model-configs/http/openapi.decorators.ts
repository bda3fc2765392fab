import { applyDecorators, Type } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { BifrostErrorView } from '../model-config.view';

export const BEARER_SCHEME = 'bearer';

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid parameter or body (the message names the field and the rule)',
  401: 'Missing or wrong API key; only `Authorization: Bearer <API key>` is accepted',
  404: 'Model config not found',
  409: 'A config with the same scope, scope_id, model_name and provider exists',
  413: 'Request body larger than 1 MB (after decompression)',
  415: 'Body not application/json, not UTF-8, or in a Content-Encoding other than gzip, deflate, br',
  500: 'Internal server error (the cause is logged under the X-Request-Id)',
  503: 'A dependency (PostgreSQL, Redis or Kafka) is unavailable, or the read model did not apply the change in time',
};

const REQUEST_ID = {
  'X-Request-Id': {
    description: 'correlation id (echoes the request’s)',
    schema: { type: 'string' },
  },
};

export const READ_MODEL_HEADERS = {
  ...REQUEST_ID,
  'X-Data-Source': {
    description: 'the read model that answered',
    schema: { type: 'string', enum: ['postgres', 'redis'] },
  },
  'X-Read-Model-As-Of': {
    description: 'time of the newest event applied to that read model (absent before the first)',
    schema: { type: 'string', format: 'date-time' },
  },
  'X-Read-Model-Lag-Ms': {
    description: 'now minus X-Read-Model-As-Of, in milliseconds',
    schema: { type: 'integer', minimum: 0 },
  },
};

/** The governance routes: tag, bearer security, and the Bifrost error body per status. */
export function GovernanceRoute(...errorStatuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiTags('governance'),
    ApiBearerAuth(BEARER_SCHEME),
    ...[401, 500, ...errorStatuses].map((status) =>
      ApiResponse({
        status,
        description: ERROR_DESCRIPTIONS[status],
        type: BifrostErrorView,
        headers: REQUEST_ID,
      }),
    ),
  );
}

export const OkWithReadModel = (type: Type<unknown>) =>
  ApiOkResponse({ type, headers: READ_MODEL_HEADERS });

export const FromMemoryQuery = () =>
  ApiQuery({
    name: 'from_memory',
    required: false,
    description:
      'true: answer from the Redis read model only (never PostgreSQL; may lag it by one poll cycle)',
    schema: { type: 'boolean', default: false },
  });

export const ConfigIdParam = () =>
  ApiParam({ name: 'id', description: 'model config id', schema: { type: 'string' } });
