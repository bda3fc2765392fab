export * from './logger';
export * from './metrics';
export * from './observability.module';
export * from './health/dependency-checks';
export * from './health/readiness';
export * from './health/health.controller';
export * from './health/consumption-readiness';
export { loggableRequest } from './logged-request';
