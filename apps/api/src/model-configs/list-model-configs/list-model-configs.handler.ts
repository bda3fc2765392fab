import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ModelConfigPage } from '../read-model/model-config.reader';
import { PostgresModelConfigReader } from '../read-model/postgres-model-config.reader';
import { RedisModelConfigReader } from '../read-model/redis-model-config.reader';
import { ListModelConfigsQuery } from './list-model-configs.query';

@QueryHandler(ListModelConfigsQuery)
export class ListModelConfigsHandler implements IQueryHandler<ListModelConfigsQuery> {
  constructor(
    private readonly postgres: PostgresModelConfigReader,
    private readonly redis: RedisModelConfigReader,
  ) {}

  execute({ params, now }: ListModelConfigsQuery): Promise<ModelConfigPage> {
    return (params.fromMemory ? this.redis : this.postgres).list(params, now);
  }
}
