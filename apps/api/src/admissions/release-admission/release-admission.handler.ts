import { AppConfig } from '@app/config';
import { AdmissionLedger } from '@app/ledger';
import { Metrics } from '@app/observability';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { callDependency } from '../../http/dependency-call';
import { identifier } from '../http/admission-body';
import { ReleaseAdmissionResponse } from '../http/admission.view';
import { ReleaseAdmissionCommand } from './release-admission.command';

@CommandHandler(ReleaseAdmissionCommand)
export class ReleaseAdmissionHandler implements ICommandHandler<ReleaseAdmissionCommand> {
  constructor(
    private readonly ledger: AdmissionLedger,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  async execute({ requestId }: ReleaseAdmissionCommand): Promise<ReleaseAdmissionResponse> {
    // The same rules as the POST body's request_id.
    const id = identifier({ request_id: requestId }, 'request_id', true) as string;
    const released = await callDependency('Redis', this.config.env.DEPENDENCY_TIMEOUT, () =>
      this.ledger.release(id),
    );
    this.metrics.admissionReleases.inc({ released: String(released) });
    return { request_id: id, released };
  }
}
