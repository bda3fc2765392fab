import { Controller, Get, Query as QueryParams, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery } from '@nestjs/swagger';
import { SCOPES } from '@app/governance';
import type { Response } from 'express';
import { FromMemoryQuery, GovernanceRoute, OkWithReadModel } from '../http/openapi.decorators';
import { ModelConfigListResponse } from '../model-config.view';
import { serveList } from './list-model-configs.serve';
import { DEFAULT_LIMIT, MAX_LIMIT, RawQuery } from './list-query-params';

@Controller('api/governance/model-configs')
export class ListModelConfigsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({
    operationId: 'listModelConfigs',
    summary: 'List model configs with their live budgets and rate limits',
    description: 'Ordered by created_at descending, then id descending, on both read models.',
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    description: `page size; values above ${MAX_LIMIT} are served as ${MAX_LIMIT}`,
    schema: { type: 'integer', minimum: 1, default: DEFAULT_LIMIT },
  })
  @ApiQuery({
    name: 'offset',
    required: false,
    description: 'configs to skip',
    schema: { type: 'integer', minimum: 0, default: 0 },
  })
  @ApiQuery({
    name: 'search',
    required: false,
    description: 'case-insensitive substring of model_name (%, _ and \\ are literal)',
    schema: { type: 'string' },
  })
  @ApiQuery({ name: 'scope', required: false, schema: { type: 'string', enum: [...SCOPES] } })
  @ApiQuery({ name: 'scope_id', required: false, description: 'exact', schema: { type: 'string' } })
  @ApiQuery({ name: 'provider', required: false, description: 'exact', schema: { type: 'string' } })
  @FromMemoryQuery()
  @OkWithReadModel(ModelConfigListResponse)
  @GovernanceRoute(400, 503)
  async list(
    @QueryParams() query: RawQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ModelConfigListResponse> {
    return serveList((q) => this.queryBus.execute(q), query, res);
  }
}
