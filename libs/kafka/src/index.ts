export * from './batch-consumer';
export * from './kafka-client.factory';
export * from './topic-admin';
export * from './kafka.module';
export * from './group-assignment';
