import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@app/config';
import Redis from 'ioredis';
import { RedisKeys } from './redis-keys';
import { createRedisClient } from './redis-client.factory';

@Global()
@Module({
  providers: [
    {
      provide: Redis,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        createRedisClient(config.env.REDIS_URL, config.env.DEPENDENCY_TIMEOUT),
    },
    {
      provide: RedisKeys,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new RedisKeys(config.env.REDIS_KEY_PREFIX),
    },
  ],
  exports: [Redis, RedisKeys],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(Redis) private readonly redis: Redis) {}

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
