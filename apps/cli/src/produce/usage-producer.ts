import { encodeStructured, usageRecordedEnvelope } from '@app/contracts';
import { UsageRecord } from '@app/governance';
import { randomUUID } from 'crypto';
import { Producer } from 'kafkajs';

/** One structured CloudEvent per usage record; kafkajs does no batching, so callers batch. */
export async function sendUsage(
  producer: Producer,
  topic: string,
  usages: readonly UsageRecord[],
  source: string,
): Promise<void> {
  await producer.send({
    topic,
    acks: -1,
    messages: usages.map((u) =>
      encodeStructured(usageRecordedEnvelope(u, { source, id: randomUUID() }), u.requestId),
    ),
  });
}
