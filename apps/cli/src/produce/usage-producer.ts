import { EncodedRecord, encodeStructured, usageRecordedEnvelope } from '@app/contracts';
import { UsageRecord } from '@app/governance';
import { randomUUID } from 'crypto';
import { Producer } from 'kafkajs';

/** One structured CloudEvent for one usage record, keyed by the gateway's request id. */
export function usageMessage(
  usage: UsageRecord,
  source: string,
  id: string = randomUUID(),
): EncodedRecord {
  return encodeStructured(usageRecordedEnvelope(usage, { source, id }), usage.requestId);
}

/** kafkajs does no batching of its own, so callers hand over whole batches. */
export async function sendUsage(
  producer: Producer,
  topic: string,
  usages: readonly UsageRecord[],
  source: string,
): Promise<void> {
  await producer.send({ topic, acks: -1, messages: usages.map((u) => usageMessage(u, source)) });
}
