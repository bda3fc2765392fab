import { AppConfig, boot } from '@app/config';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ProjectorAppModule } from './projector-app.module';

boot(async () => {
  AppConfig.fromEnv(); // fail before connecting to anything
  const app = await NestFactory.create(ProjectorAppModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  const { env } = app.get(AppConfig);
  await app.listen(env.PROJECTOR_PORT, env.HOST);
});
