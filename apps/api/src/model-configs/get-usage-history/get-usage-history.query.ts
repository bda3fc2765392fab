import { HistoryRange } from '@app/governance';
import { Query } from '@nestjs/cqrs';
import { UsageHistoryResponse } from './usage-history.view';
import { Freshness } from '../read-model/model-config.reader';

export interface UsageHistoryResult {
  response: UsageHistoryResponse;
  freshness: Freshness;
}

export class GetUsageHistoryQuery extends Query<UsageHistoryResult> {
  constructor(
    readonly id: string,
    readonly range: HistoryRange,
  ) {
    super();
  }
}
