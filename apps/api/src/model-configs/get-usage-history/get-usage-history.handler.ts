import { AppConfig } from '@app/config';
import { CounterHistoryReader } from '@app/ledger';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { notFound } from '../../http/api-error';
import { callDependency } from '../../http/dependency-call';
import { GetUsageHistoryQuery, UsageHistoryResult } from './get-usage-history.query';
import { presentUsageHistory } from './usage-history.presenter';

@QueryHandler(GetUsageHistoryQuery)
export class GetUsageHistoryHandler implements IQueryHandler<GetUsageHistoryQuery> {
  constructor(
    private readonly history: CounterHistoryReader,
    private readonly config: AppConfig,
  ) {}

  async execute({ id, range }: GetUsageHistoryQuery): Promise<UsageHistoryResult> {
    const read = await callDependency('PostgreSQL', this.config.env.DEPENDENCY_TIMEOUT, () =>
      this.history.read(id, range),
    );
    if (read.snapshot === null) throw notFound();
    return {
      response: presentUsageHistory(id, range, read.limits),
      freshness: { source: 'postgres', asOf: read.asOf },
    };
  }
}
