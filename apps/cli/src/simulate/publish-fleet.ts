import { encodeStructured, modelConfigUpsertedEnvelope } from '@app/contracts';
import { Producer } from 'kafkajs';
import { Fleet } from './fleet-configs';

const CONFIGS_PER_REQUEST = 500;

/** The fleet's configs as upsert events with ids fixed per config: publishing twice is a no-op. */
export async function publishFleet(
  producer: Producer,
  topic: string,
  fleet: Fleet,
  source: string,
): Promise<void> {
  for (let i = 0; i < fleet.configs.length; i += CONFIGS_PER_REQUEST) {
    await producer.send({
      topic,
      acks: -1,
      messages: fleet.configs
        .slice(i, i + CONFIGS_PER_REQUEST)
        .map((c) =>
          encodeStructured(
            modelConfigUpsertedEnvelope(c, { source, id: `${c.id}-v1`, time: c.updatedAt }),
            c.id,
          ),
        ),
    });
  }
}
