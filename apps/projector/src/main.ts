import { AppConfig, boot, closeOnSignals } from '@app/config';
import { createLogger } from '@app/observability';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ProjectorAppModule } from './projector-app.module';

boot(async () => {
  AppConfig.fromEnv(); // fail before connecting to anything
  const app = await NestFactory.create(ProjectorAppModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  const { env } = app.get(AppConfig);
  closeOnSignals(
    app,
    env.SHUTDOWN_TIMEOUT,
    createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT }),
  );
  await app.listen(env.PROJECTOR_PORT, env.HOST);
});
