import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { notFound } from '../../http/api-error';
import { FoundModelConfig } from '../read-model/model-config.reader';
import { PostgresModelConfigReader } from '../read-model/postgres-model-config.reader';
import { RedisModelConfigReader } from '../read-model/redis-model-config.reader';
import { GetModelConfigQuery } from './get-model-config.query';

@QueryHandler(GetModelConfigQuery)
export class GetModelConfigHandler implements IQueryHandler<GetModelConfigQuery> {
  constructor(
    private readonly postgres: PostgresModelConfigReader,
    private readonly redis: RedisModelConfigReader,
  ) {}

  async execute({ id, fromMemory, now }: GetModelConfigQuery): Promise<FoundModelConfig> {
    const read = await (fromMemory ? this.redis : this.postgres).get(id, now);
    if (read.view === null) throw notFound();
    return { ...read, view: read.view };
  }
}
