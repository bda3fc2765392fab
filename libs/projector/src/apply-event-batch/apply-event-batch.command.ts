import { Command } from '@nestjs/cqrs';
import { AppliedBatch, IncomingBatch } from '@app/ledger';

/**
 * Apply one partition's decoded records. One command per batch, not per record: the write
 * model commits a batch in one transaction, which is what makes 20k events/s possible.
 */
export class ApplyEventBatchCommand extends Command<AppliedBatch> {
  constructor(readonly batch: IncomingBatch) {
    super();
  }
}
