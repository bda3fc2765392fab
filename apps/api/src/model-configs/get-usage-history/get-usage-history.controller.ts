import { Controller, Get, Param, Query as QueryParams, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery } from '@nestjs/swagger';
import { MAX_HISTORY_RANGE_DAYS, MAX_HISTORY_WINDOWS_PER_LIMIT } from '@app/governance';
import type { Response } from 'express';
import { ConfigIdParam, GovernanceRoute, OkWithReadModel } from '../http/openapi.decorators';
import { ConfigIdPipe } from '../http/config-id.pipe';
import { RawQuery } from '../list-model-configs/list-query-params';
import { freshnessHeaders } from '../read-model/freshness-headers';
import { GetUsageHistoryQuery } from './get-usage-history.query';
import { parseHistoryRange } from './usage-history-params';
import { UsageHistoryResponse } from './usage-history.view';

const TIME_PARAM = { type: 'string', format: 'date-time' } as const;

@Controller('api/governance/model-configs')
export class GetUsageHistoryController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id/usage')
  @ApiOperation({
    operationId: 'getModelConfigUsage',
    summary: 'Usage of every budget and rate-limit dimension, window by window',
    description:
      'From PostgreSQL. Every window overlapping [from, to) of each counter series, windows ' +
      `without events with 0. At most ${MAX_HISTORY_RANGE_DAYS} days and ` +
      `${MAX_HISTORY_WINDOWS_PER_LIMIT} windows per limit (else 400).`,
  })
  @ConfigIdParam()
  @ApiQuery({
    name: 'from',
    required: false,
    description: 'RFC 3339; default to - 30 days',
    schema: TIME_PARAM,
  })
  @ApiQuery({
    name: 'to',
    required: false,
    description: 'RFC 3339, exclusive; default now',
    schema: TIME_PARAM,
  })
  @OkWithReadModel(UsageHistoryResponse)
  @GovernanceRoute(400, 404, 503)
  async usage(
    @Param('id', ConfigIdPipe) id: string,
    @QueryParams() query: RawQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<UsageHistoryResponse> {
    const now = new Date();
    const read = await this.queryBus.execute(
      new GetUsageHistoryQuery(id, parseHistoryRange(query, now)),
    );
    res.set(freshnessHeaders(read.freshness, new Date()));
    return read.response;
  }
}
