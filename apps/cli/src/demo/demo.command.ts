import { AppConfig } from '@app/config';
import { encodeStructured, modelConfigUpsertedEnvelope } from '@app/contracts';
import { withProducer } from '../produce/producer-session';
import { sendUsage } from '../produce/usage-producer';
import { DEMO_CONFIGS, demoUsage } from './demo-data';

export interface DemoOptions {
  rate: number;
  seconds: number;
}

const RETRY_MS = 2_000;

/**
 * `usage-ledger demo`: publishes the demo model configs, then a steady stream of usage events
 * (`--rate` per second, for `--seconds`, 0 = until stopped) through the real broker. Like a
 * gateway, it outlives a broker outage: a batch that could not be sent is sent again (same
 * event ids, so one that did land is dropped as a duplicate) until the broker takes it.
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
      await untilSent(() => sendUsage(producer, topics.usage, batch, 'usage-ledger/demo'), stopped);
      await sleep(1000);
    }
  });
}

async function untilSent(send: () => Promise<unknown>, stopped: () => boolean): Promise<void> {
  for (;;) {
    try {
      await send();
      return;
    } catch (error) {
      if (stopped()) return;
      process.stderr.write(
        `demo: could not send (${(error as Error).message}); trying again in ${RETRY_MS / 1000} s\n`,
      );
      await sleep(RETRY_MS);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
