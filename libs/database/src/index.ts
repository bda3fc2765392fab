export * from './data-source.factory';
export * from './database.module';
export * from './ensure-database';
export * from './run-migrations';
