import { Command } from '@nestjs/cqrs';
import { AdmissionResponse } from '../http/admission.view';

export class AdmitRequestCommand extends Command<AdmissionResponse> {
  constructor(
    /** the request body as parsed JSON, not yet validated */
    readonly body: unknown,
    readonly now: Date,
  ) {
    super();
  }
}
