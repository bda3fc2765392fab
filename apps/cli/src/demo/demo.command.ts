import { AppConfig } from '@app/config';
import { encodeStructured, modelConfigUpsertedEnvelope } from '@app/contracts';
import { withProducer } from '../produce/producer-session';
import { sendUsage } from '../produce/usage-producer';
import { DEMO_CONFIGS, demoUsage } from './demo-data';

export interface DemoOptions {
  rate: number;
  seconds: number;
}

/**
 * `usage-ledger demo`: publishes the demo model configs, then a steady stream of usage events
 * (`--rate` per second, for `--seconds`, 0 = until stopped) through the real broker.
 */
export async function demoCommand(config: AppConfig, options: DemoOptions): Promise<void> {
  const { topics } = config;
  await withProducer(config, 'usage-ledger-demo', async ({ producer, stopped }) => {
    await producer.send({
      topic: topics.config,
      acks: -1,
      messages: DEMO_CONFIGS.map((c) =>
        encodeStructured(
          modelConfigUpsertedEnvelope(c, {
            source: 'usage-ledger/demo',
            id: `${c.id}-v1`,
            time: c.updatedAt,
          }),
          c.id,
        ),
      ),
    });
    process.stdout.write(`demo: ${DEMO_CONFIGS.length} model configs published\n`);
    const deadline = options.seconds > 0 ? Date.now() + options.seconds * 1000 : Infinity;
    for (let i = 0; !stopped() && Date.now() < deadline; i += options.rate) {
      const now = new Date();
      const batch = Array.from({ length: options.rate }, (_, k) => demoUsage(now, i + k));
      await sendUsage(producer, topics.usage, batch, 'usage-ledger/demo');
      await new Promise((r) => setTimeout(r, 1000));
    }
  });
}
