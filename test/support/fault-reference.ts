import { encodeStructured, EncodedRecord } from '@app/contracts';
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { DataSource } from 'typeorm';
import { aUsage, usageRecorded } from './event-builders';
import { KafkaTestClient } from './kafka-test-client';
import { waitFor } from './wait-for';

/** What the counters must read, computed from the produced events alone (not by the service). */
export interface Reference {
  events: number;
  requests: bigint;
  tokens: bigint;
  costNanos: bigint;
}

/** One fault scenario's figures, for the README's Reliability section. */
export interface FaultFigures {
  scenario: string;
  faultsInjected: number;
  eventsProduced: number;
  eventsCounted: number;
  duplicates: number;
  deadLetters: number;
}

const RESULTS = join(__dirname, '..', '..', 'bench', 'results', 'faults');

/**
 * Produces usage events with random tokens and costs for one model, all in one window (`at`),
 * and keeps the independent reference of what they add up to.
 */
export class UsageStream {
  readonly at = new Date();
  readonly reference: Reference = { events: 0, requests: 0n, tokens: 0n, costNanos: 0n };

  constructor(
    private readonly kafka: KafkaTestClient,
    private readonly topic: string,
    private readonly model: string,
  ) {}

  /** Sends `count` events in sends of `perSend`. */
  async produce(count: number, perSend = 500): Promise<void> {
    for (let sent = 0; sent < count; sent += perSend) {
      const n = Math.min(perSend, count - sent);
      await this.kafka.send(
        this.topic,
        Array.from({ length: n }, () => this.next()),
      );
    }
  }

  private next(): EncodedRecord {
    const inputTokens = 1 + Math.floor(Math.random() * 100);
    const outputTokens = Math.floor(Math.random() * 50);
    const cost = BigInt(1 + Math.floor(Math.random() * 5_000_000)); // up to 0.005 USD
    const usage = aUsage({
      model: this.model,
      inputTokens,
      outputTokens,
      totalTokens: inputTokens + outputTokens,
      cost,
      time: this.at,
    });
    this.reference.events += 1;
    this.reference.requests += 1n;
    this.reference.tokens += BigInt(inputTokens + outputTokens);
    this.reference.costNanos += cost;
    return encodeStructured(usageRecorded(usage), null);
  }
}

/** Usage events in the event store (each (source, id) at most once by construction). */
export async function storedUsage(db: DataSource): Promise<number> {
  const [{ n }]: { n: string }[] = await db.query(
    `SELECT count(*) AS n FROM event_store WHERE type = 'governance.usage.recorded.v1'`,
  );
  return Number(n);
}

export async function allApplied(db: DataSource, stream: UsageStream, timeoutMs = 120_000) {
  await waitFor(
    `all ${stream.reference.events} events applied`,
    async () => (await storedUsage(db)) >= stream.reference.events,
    timeoutMs,
    100,
  );
}

export async function deadLetterCount(db: DataSource): Promise<number> {
  const [{ n }]: { n: string }[] = await db.query('SELECT count(*) AS n FROM dead_letters');
  return Number(n);
}

/** One file per scenario in bench/results/faults/ (git-ignored), read for the README. */
export function recordFigures(figures: FaultFigures): void {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, `${figures.scenario}.json`), `${JSON.stringify(figures)}\n`);
}
