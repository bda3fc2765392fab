import { Module } from '@nestjs/common';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { KafkaModule } from '@app/kafka';
import { LedgerModule } from '@app/ledger';
import { HealthController, ObservabilityModule } from '@app/observability';
import { RedisModule } from '@app/redis';
import { ProjectorModule } from '@app/projector';

/** The projector as a process of its own, with /health, /health/ready and /metrics. */
@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    RedisModule,
    LedgerModule,
    ObservabilityModule,
    KafkaModule,
    ProjectorModule,
  ],
  controllers: [HealthController],
})
export class ProjectorAppModule {}
