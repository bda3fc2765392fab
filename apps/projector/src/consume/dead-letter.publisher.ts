import { deadLetterRecord } from '@app/contracts';
import { DeadLetter } from '@app/ledger';
import { Producer } from 'kafkajs';

/** Sends dead letters and waits for the broker's acknowledgement from all in-sync replicas. */
export function deadLetterPublisher(producer: Producer, dlqTopic: string) {
  return async (letters: readonly DeadLetter[]): Promise<void> => {
    const now = new Date();
    await producer.send({
      topic: dlqTopic,
      acks: -1,
      messages: letters.map((l) =>
        deadLetterRecord(
          { topic: l.topic, partition: l.partition, offset: l.offset, ...l.original },
          l.reason,
          now,
        ),
      ),
    });
  };
}
