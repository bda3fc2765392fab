import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { LoggerModule } from 'nestjs-pino';
import { withLoggableHeaders } from './logged-request';
import { Metrics } from './metrics';

@Global()
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // No per-request middleware: with request logging off it only built a child logger
        // and an AsyncLocalStorage scope for every request (~10% of a request's CPU), used by
        // nothing but the 500 line, which names its request itself (see sendError).
        forRoutes: [],
        pinoHttp: {
          level: config.env.LOG_LEVEL,
          base: { service: 'usage-ledger' },
          transport: config.env.LOG_FORMAT === 'pretty' ? { target: 'pino-pretty' } : undefined,
          autoLogging: false,
          // Credentials never reach a log line: only listed headers keep their values.
          serializers: { req: withLoggableHeaders },
        },
      }),
    }),
  ],
  providers: [Metrics],
  exports: [Metrics],
})
export class ObservabilityModule {}
