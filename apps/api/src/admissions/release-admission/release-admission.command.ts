import { Command } from '@nestjs/cqrs';
import { ReleaseAdmissionResponse } from '../http/admission.view';

export class ReleaseAdmissionCommand extends Command<ReleaseAdmissionResponse> {
  constructor(readonly requestId: string) {
    super();
  }
}
