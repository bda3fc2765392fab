import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Producer } from 'kafkajs';
import { DLQ_PRODUCER } from '../projector.tokens';

@Injectable()
export class DlqProducerLifecycle implements OnApplicationShutdown {
  constructor(@Inject(DLQ_PRODUCER) private readonly producer: Producer) {}

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }
}
