import { Kafka } from 'kafkajs';
import { rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Client } from 'pg';
import { Scenario } from '../runner/scenario';
import { configTotals } from '../support/bench-database';
import { bareConsumeRate } from '../support/bare-consumer';
import {
  benchKafka,
  BenchTopics,
  createBenchTopics,
  deleteBenchTopics,
} from '../support/bench-topics';
import { copyCeiling } from '../support/copy-ceiling';
import { measureProjector } from '../support/measure-projector';
import { Preloaded, preloadFleet } from '../support/preload';

const PARTITIONS = 6;
const CONFIGS = 1000;

/**
 * (1) Ingest Kafka -> PostgreSQL + Redis, exactly once, on the same preloaded records as its
 * three baselines: the naive mode, a bare kafkajs consumer, and a raw COPY of the envelopes.
 * (5) The projector's memory while it ingests them.
 */
export function ingestScenario(): Scenario {
  let kafka: Kafka;
  let topics: BenchTopics;
  let loaded: Preloaded;
  let copyFile = '';
  let records = 0;
  return {
    name: 'ingest',
    title: 'Ingest',
    notes:
      'Records preloaded into 6 partitions by the `simulate` fleet (1,000 configs; 1% retries, 2% late, 25% streamed in 3 chunks). ' +
      'Projector and naive mode: compiled projector process, fresh database, from its first committed batch to its last; the counters are checked exact after every run. ' +
      'Naive mode is measured over its first seconds only (it would take hours). COPY: the distinct envelopes as event-store rows, one COPY into a table with the event store indexes.',
    runs: (quick) => (quick ? 1 : 3),
    figures: [
      {
        name: 'projector',
        label: 'projector, exactly once',
        unit: 'events/s',
        better: 'higher',
        baselines: ['naive', 'copy_ceiling', 'bare_consumer'],
        targets: [
          { text: '>= 30x naive', baseline: 'naive', min: 30 },
          { text: '>= 0.25x COPY ceiling', baseline: 'copy_ceiling', min: 0.25 },
          { text: '>= 20,000 events/s', min: 20_000 },
        ],
      },
      {
        name: 'naive',
        label: 'naive mode (one event per transaction)',
        unit: 'events/s',
        better: 'higher',
      },
      {
        name: 'copy_ceiling',
        label: 'raw PostgreSQL COPY ceiling',
        unit: 'rows/s',
        better: 'higher',
      },
      {
        name: 'bare_consumer',
        label: 'bare kafkajs consumer',
        unit: 'records/s',
        better: 'higher',
      },
      {
        name: 'projector_peak_rss',
        label: 'projector peak RSS while ingesting',
        unit: 'MB',
        better: 'lower',
        baselines: ['projector_start_rss'],
        targets: [{ text: '<= 300 MB (at 1M events)', max: 300 }],
      },
      {
        name: 'projector_start_rss',
        label: 'projector RSS at its first batch',
        unit: 'MB',
        better: 'lower',
      },
    ],

    async setup(ctx) {
      const { settings } = ctx;
      records = settings.quick ? 10_000 : Number(process.env.BENCH_EVENTS ?? 1_000_000);
      kafka = benchKafka(settings);
      topics = await createBenchTopics(kafka, settings, 'ingest', PARTITIONS);
      copyFile = join(tmpdir(), `usage-ledger-bench-${settings.runId}.copy`);
      loaded = await preloadFleet(kafka, topics, { configs: CONFIGS, records, copyFile });
      ctx.log('preloaded', {
        records,
        distinct_events: loaded.stats.events,
        produce_records_per_s: Math.round(records / loaded.produceSeconds),
      });
    },

    async run(ctx, index) {
      const { settings } = ctx;
      const bare = await bareConsumeRate(kafka, topics.usage, records);
      const copy = await copyCeiling(settings.databaseUrl, copyFile, loaded.stats.events);
      const batch = await measureProjector(ctx, {
        name: `ingest-${index}`,
        topics,
        records,
        verify: (db) => verifyExactlyOnce(db, loaded),
      });
      const naive = await measureProjector(ctx, {
        name: `ingest-naive-${index}`,
        topics,
        records,
        env: { PROJECTOR_ONE_EVENT_PER_TRANSACTION: '1' },
        sampleMs: settings.quick ? 2000 : 10_000,
      });
      return {
        projector: batch.eventsPerSecond,
        naive: naive.eventsPerSecond,
        copy_ceiling: copy,
        bare_consumer: bare,
        projector_peak_rss: batch.peakRssMb,
        projector_start_rss: batch.startRssMb,
      };
    },

    async teardown() {
      if (copyFile) rmSync(copyFile, { force: true });
      if (topics) await deleteBenchTopics(kafka, topics);
    },
  };
}

/** The catch-all config is charged by every distinct event once: its totals must match. */
async function verifyExactlyOnce(db: Client, loaded: Preloaded): Promise<void> {
  const totals = await configTotals(db, loaded.fleet.catchAllId);
  const expected = { requests: BigInt(loaded.stats.requests), cost: loaded.stats.costNanos };
  if (totals.requests !== expected.requests || totals.cost !== expected.cost) {
    throw new Error(
      `not exactly once: catch-all counted ${totals.requests} requests / ${totals.cost} nanos, expected ${expected.requests} / ${expected.cost}`,
    );
  }
}
