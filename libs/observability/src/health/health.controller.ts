import { Controller, Get, Header, HttpStatus, Inject, Optional, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AppConfig } from '@app/config';
import { KAFKA_CLIENT } from '@app/kafka';
import type { Response } from 'express';
import { REDIS_CLIENT, RedisClient } from '@app/redis';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { Metrics } from '../metrics';
import { kafkaCheck, postgresCheck, redisCheck } from './dependency-checks';
import { CONSUMPTION_READINESS, ConsumptionReadiness } from './consumption-readiness';
import { readiness } from './readiness';

/** Liveness, readiness (each dependency reported on its own) and Prometheus; no key needed. */
@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
    private readonly dataSource: DataSource,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Optional()
    @Inject(CONSUMPTION_READINESS)
    private readonly consumption?: ConsumptionReadiness,
  ) {}

  @Get('health')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  async ready(@Res({ passthrough: true }) res: Response) {
    const result = await readiness(
      {
        kafka: kafkaCheck(this.kafka),
        postgres: postgresCheck(this.dataSource),
        redis: redisCheck(this.redis),
        ...(this.consumption ? { consuming: () => this.consumption!.check() } : {}),
      },
      this.config.env.DEPENDENCY_TIMEOUT,
    );
    res.status(result.status === 'ready' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return result;
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
