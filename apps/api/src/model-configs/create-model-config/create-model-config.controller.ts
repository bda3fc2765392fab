import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { GovernanceRoute, OkWithReadModel } from '../http/openapi.decorators';
import { ModelConfigMutationResponse } from '../model-config.view';
import { freshnessHeaders } from '../read-model/freshness-headers';
import { CreateModelConfigBody } from '../write-side/model-config-body.view';
import { CreateModelConfigCommand } from './create-model-config.command';

@Controller('api/governance/model-configs')
export class CreateModelConfigController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'createModelConfig',
    summary: 'Create a model config',
    description: 'Answers once both read models show the new config (read-your-writes).',
  })
  @ApiBody({ type: CreateModelConfigBody })
  @OkWithReadModel(ModelConfigMutationResponse)
  @GovernanceRoute(400, 409, 413, 415, 503)
  async create(
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ModelConfigMutationResponse> {
    const now = new Date();
    const created = await this.commandBus.execute(new CreateModelConfigCommand(body, now));
    res.set(freshnessHeaders(created.freshness, new Date()));
    return { message: 'Model config created successfully', model_config: created.view };
  }
}
