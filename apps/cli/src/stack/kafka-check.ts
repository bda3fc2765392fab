import { createKafka } from '@app/kafka';
import { readFile } from 'fs/promises';
import { Admin } from 'kafkajs';
import { join } from 'path';
import pino from 'pino';
import { reasonOf, ServiceReport } from './service-report';

const WARMUP_GROUP = 'stack-warmup';
const WARMUP_TIMEOUT_MS = 30_000;

/**
 * Kafka at `brokers` answers. With `warmUp`, its group coordinator is made ready too: on a
 * freshly formatted broker the first consumer-group join fails until `__consumer_offsets`
 * exists and is loaded, and asking for a group's offsets creates and loads it.
 */
export async function checkKafka(
  brokers: readonly string[],
  stackDir: string,
  warmUp: boolean,
): Promise<ServiceReport> {
  const where = brokers.join(',');
  // The verdict is the report line: kafkajs's own retry logs would only bury it.
  const kafka = createKafka({
    brokers: [...brokers],
    clientId: 'usage-ledger-stack',
    logger: pino({ level: 'silent' }),
    retries: warmUp ? 5 : 1,
  });
  const admin = kafka.admin();
  const owner = (await projectBroker(stackDir, brokers[0])) ?? 'not started by this project';
  try {
    await admin.connect();
    await admin.describeCluster();
  } catch (error) {
    return { service: 'kafka', up: false, detail: `${where}: ${reasonOf(error)} (${owner})` };
  }
  try {
    const note = warmUp ? await warmUpCoordinator(admin) : '';
    return { service: 'kafka', up: true, detail: `${where} (${owner})${note}` };
  } finally {
    await admin.disconnect();
  }
}

/**
 * Best effort: "coordinator is loading" and "not the correct coordinator" are normal for a few
 * seconds on a new broker, and a consumer that still meets them only retries.
 */
async function warmUpCoordinator(admin: Admin): Promise<string> {
  const deadline = Date.now() + WARMUP_TIMEOUT_MS;
  for (;;) {
    try {
      await admin.fetchOffsets({ groupId: WARMUP_GROUP });
      return '';
    } catch (error) {
      if (Date.now() > deadline) return `; note: group coordinator not ready (${reasonOf(error)})`;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}

/** "ours, pid N" when the broker this checkout started (scripts/lib/stack-lib.sh) serves `broker`. */
async function projectBroker(stackDir: string, broker: string): Promise<string | null> {
  const read = (name: string) =>
    readFile(join(stackDir, 'kafka', name), 'utf8').then(
      (s) => s.trim(),
      () => '',
    );
  const [pid, port] = await Promise.all([read('kafka.pid'), read('kafka.port')]);
  if (!pid || !broker.endsWith(`:${port}`)) return null;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.includes('kafka.Kafka') ? `ours, pid ${pid}` : null;
}
