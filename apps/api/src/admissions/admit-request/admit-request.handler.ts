import { AppConfig } from '@app/config';
import { AdmissionLedger } from '@app/ledger';
import { Metrics } from '@app/observability';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiError } from '../../http/api-error';
import { callDependency } from '../../http/dependency-call';
import { readAdmissionBody } from '../http/admission-body';
import { presentDecision, presentDegraded } from '../http/admission.presenter';
import { AdmissionResponse } from '../http/admission.view';
import { AdmitRequestCommand } from './admit-request.command';

@CommandHandler(AdmitRequestCommand)
export class AdmitRequestHandler implements ICommandHandler<AdmitRequestCommand> {
  constructor(
    private readonly ledger: AdmissionLedger,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  async execute({ body, now }: AdmitRequestCommand): Promise<AdmissionResponse> {
    const request = readAdmissionBody(body, this.config.env.ADMISSION_HOLD);
    try {
      const decision = await callDependency('Redis', this.config.env.DEPENDENCY_TIMEOUT, () =>
        this.ledger.admit(request, now),
      );
      const outcome = decision.repeated ? 'repeated' : decision.allowed ? 'allowed' : 'blocked';
      this.metrics.admissions.inc({ outcome });
      return presentDecision(decision);
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'unavailable') throw error;
      if (this.config.env.ADMISSION_FAILURE_MODE === 'closed') {
        this.metrics.admissions.inc({ outcome: 'unavailable' });
        throw error;
      }
      this.metrics.admissions.inc({ outcome: 'degraded' });
      return presentDegraded(request.requestId, request.holdMs, now);
    }
  }
}
