import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { LoggerModule } from 'nestjs-pino';
import { Metrics } from './metrics';

@Global()
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.env.LOG_LEVEL,
          base: { service: 'usage-ledger' },
          transport: config.env.LOG_FORMAT === 'pretty' ? { target: 'pino-pretty' } : undefined,
          autoLogging: false,
          // Credentials never reach a log line.
          redact: ['req.headers.authorization', 'req.headers["x-api-key"]'],
        },
      }),
    }),
  ],
  providers: [Metrics],
  exports: [Metrics],
})
export class ObservabilityModule {}
