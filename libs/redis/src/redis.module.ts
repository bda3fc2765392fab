import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { createRedisClient, RedisClient } from './redis-client.factory';

/** The injection token of the process's one Redis client (a server or a cluster). */
export const REDIS_CLIENT = Symbol('RedisClient');

@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [AppConfig],
      useFactory: ({ env }: AppConfig) =>
        createRedisClient({
          url: env.REDIS_URL,
          clusterNodes: env.REDIS_CLUSTER_NODES,
          commandTimeoutMs: env.DEPENDENCY_TIMEOUT,
        }),
    },
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: RedisClient) {}

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
