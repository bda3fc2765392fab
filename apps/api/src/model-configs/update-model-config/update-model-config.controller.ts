import { Body, Controller, Param, Put, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { ConfigIdParam, GovernanceRoute, OkWithReadModel } from '../http/openapi.decorators';
import { ConfigIdPipe } from '../http/config-id.pipe';
import { ModelConfigMutationResponse } from '../model-config.view';
import { freshnessHeaders } from '../read-model/freshness-headers';
import { UpdateModelConfigBody } from '../write-side/model-config-body.view';
import { UpdateModelConfigCommand } from './update-model-config.command';

@Controller('api/governance/model-configs')
export class UpdateModelConfigController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put(':id')
  @ApiOperation({
    operationId: 'updateModelConfig',
    summary: 'Update a model config (scope and scope_id cannot change)',
    description: 'Answers once both read models show the change (read-your-writes).',
  })
  @ConfigIdParam()
  @ApiBody({ type: UpdateModelConfigBody })
  @OkWithReadModel(ModelConfigMutationResponse)
  @GovernanceRoute(400, 404, 409, 413, 415, 503)
  async update(
    @Param('id', ConfigIdPipe) id: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ModelConfigMutationResponse> {
    const updated = await this.commandBus.execute(
      new UpdateModelConfigCommand(id, body, new Date()),
    );
    res.set(freshnessHeaders(updated.freshness, new Date()));
    return { message: 'Model config updated successfully', model_config: updated.view };
  }
}
