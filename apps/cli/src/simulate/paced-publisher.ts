import { EncodedRecord } from '@app/contracts';
import { Producer } from 'kafkajs';

export interface PublishPlan {
  /** records per second; 0 = as fast as the broker takes them */
  rate: number;
  /** stop after this many records (0 = no limit) */
  records: number;
  /** stop after this long (0 = no limit) */
  seconds: number;
  /** how long records wait to be sent together, like a producer's linger.ms */
  lingerMs: number;
  /** records per produce request at most */
  maxBatch: number;
}

export const DEFAULT_PLAN: PublishPlan = {
  rate: 0,
  records: 0,
  seconds: 0,
  lingerMs: 10,
  maxBatch: 1000,
};

/** Produce requests in flight at once. */
const IN_FLIGHT = 4;

/**
 * Sends what `next` produces, batched as a gateway's producer batches: at a target rate, every
 * `lingerMs` whatever came due (a slow send makes the next batch bigger, never the rate
 * lower); flat out, full batches with a few requests in flight. Returns the records sent.
 */
export async function publishPaced(
  producer: Producer,
  topic: string,
  next: (count: number, now: Date) => EncodedRecord[],
  plan: PublishPlan,
  onSent: (records: number) => void = () => undefined,
  stopped: () => boolean = () => false,
): Promise<number> {
  const started = Date.now();
  const deadline = plan.seconds > 0 ? started + plan.seconds * 1000 : Infinity;
  const limit = plan.records > 0 ? plan.records : Infinity;
  let sent = 0;
  const send = async (count: number): Promise<void> => {
    const messages = next(count, new Date());
    sent += messages.length;
    await producer.send({ topic, acks: -1, messages });
    onSent(messages.length);
  };
  const more = () => !stopped() && sent < limit && Date.now() < deadline;

  // Requests pipelined, as a producer with several in flight: a slow acknowledgement delays
  // neither the next batch nor the rate.
  const inFlight = new Set<Promise<void>>();
  const dispatch = async (count: number): Promise<void> => {
    const p: Promise<void> = send(count).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  };
  while (more()) {
    if (plan.rate <= 0) {
      await dispatch(Math.min(plan.maxBatch, limit - sent));
      continue;
    }
    const due = Math.min(limit, Math.floor((plan.rate * (Date.now() - started)) / 1000)) - sent;
    for (let left = due; left > 0; left -= plan.maxBatch)
      await dispatch(Math.min(left, plan.maxBatch));
    await new Promise((r) => setTimeout(r, plan.lingerMs));
  }
  await Promise.all(inFlight);
  return sent;
}
