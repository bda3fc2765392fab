import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppConfig } from '@app/config';
import { ProjectorAppModule } from '../../apps/projector/src/projector-app.module';

/** The real projector (Kafka, PostgreSQL, Redis) in this process, with per-suite settings. */
export async function startProjector(
  env: Record<string, string>,
): Promise<INestApplicationContext> {
  const config = AppConfig.fromEnv({ ...process.env, ...env });
  const moduleRef = await Test.createTestingModule({ imports: [ProjectorAppModule] })
    .overrideProvider(AppConfig)
    .useValue(config)
    .compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.enableShutdownHooks();
  await app.init();
  return app;
}
