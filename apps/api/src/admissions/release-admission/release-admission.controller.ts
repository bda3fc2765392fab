import { Controller, Delete, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { GovernanceRoute } from '../../model-configs/http/openapi.decorators';
import { ReleaseAdmissionResponse } from '../http/admission.view';
import { ReleaseAdmissionCommand } from './release-admission.command';

@Controller('api/governance/admissions')
export class ReleaseAdmissionController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete(':request_id')
  @ApiOperation({
    operationId: 'releaseAdmission',
    summary: 'Release the hold of a call that was never sent',
    description:
      'Idempotent: released=false when no hold was active (already settled, released or expired).',
  })
  @ApiParam({ name: 'request_id', schema: { type: 'string' } })
  @ApiOkResponse({ type: ReleaseAdmissionResponse })
  @GovernanceRoute(400, 503)
  release(@Param('request_id') requestId: string): Promise<ReleaseAdmissionResponse> {
    return this.commandBus.execute(new ReleaseAdmissionCommand(requestId));
  }
}
