export * from './app-config';
export * from './config.module';
export type { Env } from './env.schema';
export * from './boot';
export * from './shutdown';
