import { ModelConfigPage } from '../read-model/model-config.reader';
import { PostgresModelConfigReader } from '../read-model/postgres-model-config.reader';
import { RedisModelConfigReader } from '../read-model/redis-model-config.reader';
import { ListModelConfigsHandler } from './list-model-configs.handler';
import { ListModelConfigsQuery } from './list-model-configs.query';
import { parseListParams } from './list-query-params';

const pageFrom = (source: 'postgres' | 'redis'): ModelConfigPage => ({
  response: { model_configs: [], count: 0, total_count: 0, limit: 25, offset: 0 },
  freshness: { source, asOf: null },
});

describe('ListModelConfigsHandler', () => {
  const postgres = { list: jest.fn(async () => pageFrom('postgres')) };
  const redis = { list: jest.fn(async () => pageFrom('redis')) };
  const handler = new ListModelConfigsHandler(
    postgres as unknown as PostgresModelConfigReader,
    redis as unknown as RedisModelConfigReader,
  );

  it('reads PostgreSQL by default and Redis alone with from_memory=true', async () => {
    const now = new Date();
    const fromDb = await handler.execute(new ListModelConfigsQuery(parseListParams({}), now));
    const fromMemory = await handler.execute(
      new ListModelConfigsQuery(parseListParams({ from_memory: 'true' }), now),
    );
    expect(fromDb.freshness.source).toBe('postgres');
    expect(fromMemory.freshness.source).toBe('redis');
    expect(postgres.list).toHaveBeenCalledTimes(1);
    expect(redis.list).toHaveBeenCalledTimes(1);
  });
});
