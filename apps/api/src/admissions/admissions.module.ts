import { Module } from '@nestjs/common';
import { AdmitRequestController } from './admit-request/admit-request.controller';
import { AdmitRequestHandler } from './admit-request/admit-request.handler';
import { ReleaseAdmissionController } from './release-admission/release-admission.controller';
import { ReleaseAdmissionHandler } from './release-admission/release-admission.handler';

/** Gateway admission: check-and-hold before a model call, release after a failed send. */
@Module({
  controllers: [AdmitRequestController, ReleaseAdmissionController],
  providers: [AdmitRequestHandler, ReleaseAdmissionHandler],
})
export class AdmissionsModule {}
