import { Module } from '@nestjs/common';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { ObservabilityModule } from '@app/observability';
import { RedisModule } from '@app/redis';
import { ProjectorHealthController } from './http/projector-health.controller';
import { ProjectorModule } from './projector.module';

/** The projector as a process of its own, with /health, /health/ready and /metrics. */
@Module({
  imports: [ConfigModule, DatabaseModule, RedisModule, ObservabilityModule, ProjectorModule],
  controllers: [ProjectorHealthController],
})
export class ProjectorAppModule {}
