import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import pino from 'pino';
import { createKafka } from './kafka-client.factory';

/** The injection token of the process's one kafkajs client. */
export const KAFKA_CLIENT = Symbol('KafkaClient');

@Global()
@Module({
  providers: [
    {
      provide: KAFKA_CLIENT,
      inject: [AppConfig],
      useFactory: (c: AppConfig) =>
        createKafka({
          brokers: c.env.KAFKA_BROKERS,
          clientId: c.env.KAFKA_CLIENT_ID,
          logger: pino({ level: c.env.LOG_LEVEL, base: { service: 'usage-ledger' } }),
        }),
    },
  ],
  exports: [KAFKA_CLIENT],
})
export class KafkaModule {}
