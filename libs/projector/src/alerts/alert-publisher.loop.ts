import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { createProducer, KAFKA_CLIENT } from '@app/kafka';
import { AlertOutbox, PendingAlert } from '@app/ledger';
import { Metrics } from '@app/observability';
import { Kafka, Producer } from 'kafkajs';
import pino from 'pino';
import { PINO } from '../projector.tokens';

const SLICE = 500;

/**
 * Publishes the alert outbox to ALERT_TOPIC, every ALERT_PUBLISH_INTERVAL, on its own producer
 * and loop: usage batches never wait for it. While the topic is unavailable the rows wait in
 * the outbox and go out, in order, once it is back.
 */
@Injectable()
export class AlertPublisherLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private readonly producer: Producer;
  private connected = false;

  constructor(
    private readonly outbox: AlertOutbox,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    @Inject(PINO) private readonly logger: pino.Logger,
  ) {
    // Few retries: a failed slice is retried by the next tick anyway.
    this.producer = createProducer(kafka, { retry: { retries: 2 } });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.tick());
    }, this.config.env.ALERT_PUBLISH_INTERVAL);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    if (this.connected) await this.producer.disconnect();
  }

  async tick(): Promise<void> {
    try {
      if (!this.connected) {
        await this.producer.connect();
        this.connected = true;
      }
      let sent: number;
      do {
        sent = await this.outbox.publishPending(SLICE, (alerts) => this.send(alerts));
        if (sent > 0) this.metrics.alertsPublished.inc(sent);
      } while (sent === SLICE);
    } catch (error) {
      this.logger.warn({ err: error }, 'alert publishing failed; alerts stay in the outbox');
    }
  }

  private async send(alerts: readonly PendingAlert[]): Promise<void> {
    await this.producer.send({
      topic: this.config.topics.alerts,
      acks: -1,
      messages: alerts.map((a) => ({
        key: a.key,
        value: a.envelope,
        headers: { 'content-type': 'application/cloudevents+json' },
      })),
    });
  }
}
