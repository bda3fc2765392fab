import { createProducer } from '@app/kafka';
import { copyHeader, copyTrailer, copyTuple } from '@app/ledger';
import { closeSync, openSync, writeSync } from 'fs';
import { Kafka } from 'kafkajs';
import { buildFleet, Fleet } from '../../apps/cli/src/simulate/fleet-configs';
import { GatewayTraffic, TrafficStats } from '../../apps/cli/src/simulate/gateway-traffic';
import { DEFAULT_PLAN, publishPaced } from '../../apps/cli/src/simulate/paced-publisher';
import { publishFleet } from '../../apps/cli/src/simulate/publish-fleet';
import { BenchTopics } from './bench-topics';

export const BENCH_SOURCE = 'usage-ledger/bench';

export interface Preloaded {
  fleet: Fleet;
  stats: TrafficStats;
  /** usage records in the topic, duplicates included */
  records: number;
  produceSeconds: number;
}

/**
 * Fills fresh topics with the simulated fleet: its configs, then `records` usage records as
 * fast as the broker takes them. With `copyFile`, every distinct event is also written there
 * as a binary COPY row of the event store (the raw PostgreSQL ceiling replays that file).
 */
export async function preloadFleet(
  kafka: Kafka,
  topics: BenchTopics,
  options: { configs: number; records: number; copyFile?: string },
): Promise<Preloaded> {
  const fleet = buildFleet(options.configs);
  const traffic = new GatewayTraffic(fleet, undefined, BENCH_SOURCE);
  const producer = createProducer(kafka);
  await producer.connect();
  const copy = options.copyFile ? new CopyFile(options.copyFile, topics.usage) : null;
  try {
    await publishFleet(producer, topics.config, fleet, BENCH_SOURCE);
    const started = performance.now();
    await publishPaced(
      producer,
      topics.usage,
      (n, now) => {
        const records = traffic.take(n, now);
        copy?.add(records.map((r) => r.value));
        return records;
      },
      { ...DEFAULT_PLAN, records: options.records },
    );
    const produceSeconds = (performance.now() - started) / 1000;
    return { fleet, stats: { ...traffic.stats }, records: options.records, produceSeconds };
  } finally {
    copy?.close();
    await producer.disconnect();
  }
}

/** Event-store rows in PostgreSQL's binary COPY format, one per distinct (source, id). */
class CopyFile {
  private readonly fd: number;
  private readonly seen = new Set<string>();
  private offset = 0n;

  constructor(
    path: string,
    private readonly topic: string,
  ) {
    this.fd = openSync(path, 'w');
    writeSync(this.fd, copyHeader());
  }

  add(values: Buffer[]): void {
    const tuples: Buffer[] = [];
    for (const value of values) {
      const e = JSON.parse(value.toString('utf8')) as {
        source: string;
        id: string;
        type: string;
        time: string;
      };
      const offset = this.offset++;
      if (this.seen.has(e.id)) continue;
      this.seen.add(e.id);
      tuples.push(
        copyTuple([
          { text: e.source },
          { text: e.id },
          { text: e.type },
          { timestamptz: new Date(e.time) },
          { bytes: value },
          { text: this.topic },
          { int4: 0 },
          { int8: offset },
        ]),
      );
    }
    writeSync(this.fd, Buffer.concat(tuples));
  }

  close(): void {
    writeSync(this.fd, copyTrailer());
    closeSync(this.fd);
  }
}
