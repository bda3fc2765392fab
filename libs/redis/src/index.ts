export * from './fenced-writes.lua';
export * from './redis-client.factory';
export * from './redis-keys';
export * from './redis.module';
