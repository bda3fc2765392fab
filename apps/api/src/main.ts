import { AppConfig, boot, closeOnSignals } from '@app/config';
import { createLogger } from '@app/observability';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { ApiModule } from './api.module';
import { apiKeyDigests } from './http/api-keys.provider';
import { configureHttp } from './http/configure-http';
import { strictExpressAdapter } from './http/strict-express';

boot(async () => {
  // Fail before connecting to anything: a bad variable, or no API key at all.
  const config = AppConfig.fromEnv();
  apiKeyDigests(config);
  const app = await NestFactory.create<NestExpressApplication>(
    ApiModule.register({ runProjector: config.env.RUN_PROJECTOR }),
    strictExpressAdapter(),
    { bufferLogs: true, bodyParser: false },
  );
  app.useLogger(app.get(Logger));
  const { env } = config;
  closeOnSignals(
    app,
    env.SHUTDOWN_TIMEOUT,
    createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT }),
  );
  await configureHttp(app);
  await app.listen(env.PORT, env.HOST);
});
