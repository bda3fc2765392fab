import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { GovernanceRoute } from '../../model-configs/http/openapi.decorators';
import { AdmissionResponse, AdmitRequestBody } from '../http/admission.view';
import { serveAdmission } from './admit-request.serve';

@Controller('api/governance/admissions')
export class AdmitRequestController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'admitRequest',
    summary: 'Check every matching limit and hold the estimate before a model call',
    description:
      'Atomic across API replicas. allowed=false lists blocked_by with a Retry-After header. ' +
      'A repeat with the same request_id returns the first answer. See docs/admission.md.',
  })
  @ApiBody({ type: AdmitRequestBody })
  @ApiOkResponse({
    type: AdmissionResponse,
    headers: {
      'Retry-After': {
        description: 'refused only: seconds until the earliest blocking window resets',
        schema: { type: 'integer', minimum: 1 },
      },
    },
  })
  @GovernanceRoute(400, 503)
  async admit(
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AdmissionResponse> {
    return serveAdmission((c) => this.commandBus.execute(c), body, res);
  }
}
