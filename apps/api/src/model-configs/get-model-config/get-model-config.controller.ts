import { Controller, Get, Param, Query as QueryParams, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ConfigIdParam,
  FromMemoryQuery,
  GovernanceRoute,
  OkWithReadModel,
} from '../http/openapi.decorators';
import { ConfigIdPipe } from '../http/config-id.pipe';
import { parseFromMemory, RawQuery } from '../list-model-configs/list-query-params';
import { ModelConfigResponse } from '../model-config.view';
import { freshnessHeaders } from '../read-model/freshness-headers';
import { GetModelConfigQuery } from './get-model-config.query';

@Controller('api/governance/model-configs')
export class GetModelConfigController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  @ApiOperation({ operationId: 'getModelConfig', summary: 'One model config with its live usage' })
  @ConfigIdParam()
  @FromMemoryQuery()
  @OkWithReadModel(ModelConfigResponse)
  @GovernanceRoute(400, 404, 503)
  async get(
    @Param('id', ConfigIdPipe) id: string,
    @QueryParams() query: RawQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ModelConfigResponse> {
    const now = new Date();
    const read = await this.queryBus.execute(
      new GetModelConfigQuery(id, parseFromMemory(query), now),
    );
    res.set(freshnessHeaders(read.freshness, now));
    return { model_config: read.view };
  }
}
