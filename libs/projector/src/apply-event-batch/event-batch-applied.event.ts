import { AppliedBatch } from '@app/ledger';

/** Published after commit for observers (metrics). Nothing that must land listens to it. */
export class EventBatchAppliedEvent {
  constructor(
    readonly result: AppliedBatch,
    readonly durationMs: number,
  ) {}
}
