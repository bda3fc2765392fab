import { Controller, Delete, Param, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { ConfigIdParam, GovernanceRoute, OkWithReadModel } from '../http/openapi.decorators';
import { ConfigIdPipe } from '../http/config-id.pipe';
import { MessageResponse } from '../model-config.view';
import { freshnessHeaders } from '../read-model/freshness-headers';
import { DeleteModelConfigCommand } from './delete-model-config.command';

@Controller('api/governance/model-configs')
export class DeleteModelConfigController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete(':id')
  @ApiOperation({
    operationId: 'deleteModelConfig',
    summary: 'Delete a model config',
    description:
      'Answers once both read models no longer show it, with Bifrost\'s body: `{ "message": ... }`.',
  })
  @ConfigIdParam()
  @OkWithReadModel(MessageResponse)
  @GovernanceRoute(400, 404, 503)
  async delete(
    @Param('id', ConfigIdPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MessageResponse> {
    const deleted = await this.commandBus.execute(new DeleteModelConfigCommand(id, new Date()));
    res.set(freshnessHeaders(deleted.freshness, new Date()));
    return { message: 'Model config deleted successfully' };
  }
}
