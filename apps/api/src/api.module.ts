import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { KafkaModule } from '@app/kafka';
import { LedgerModule } from '@app/ledger';
import { HealthController, ObservabilityModule } from '@app/observability';
import { RedisModule } from '@app/redis';
import { ProjectorModule } from '@app/projector';
import { AdmissionsModule } from './admissions/admissions.module';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { apiKeyDigestsProvider } from './http/api-keys.provider';
import { BearerAuthGuard } from './http/bearer-auth.guard';
import { ModelConfigsModule } from './model-configs/model-configs.module';

export interface ApiModuleOptions {
  /** host the projector in this process too (RUN_PROJECTOR): how `npm start` runs everything */
  runProjector: boolean;
}

/** The governance API process: HTTP over both read models, and optionally the projector. */
@Module({})
export class ApiModule {
  static register(options: ApiModuleOptions): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule,
        DatabaseModule,
        RedisModule,
        LedgerModule,
        ObservabilityModule,
        KafkaModule,
        CqrsModule.forRoot(),
        ModelConfigsModule,
        AdmissionsModule,
        ...(options.runProjector ? [ProjectorModule] : []),
      ],
      controllers: [HealthController],
      providers: [
        apiKeyDigestsProvider,
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    };
  }
}
