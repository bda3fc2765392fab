export * from './redis-client.factory';
export * from './redis.module';
