import { Kafka } from 'kafkajs';
import { Scenario } from '../runner/scenario';
import {
  benchKafka,
  BenchTopics,
  createBenchTopics,
  deleteBenchTopics,
} from '../support/bench-topics';
import { measureProjector } from '../support/measure-projector';
import { Preloaded, preloadFleet } from '../support/preload';
import { ProjectorProcess } from '../support/service-process';

const PARTITIONS = 6;
const CONFIGS = 1000;

/**
 * (Issue 9) `replay build` from the event store against live ingestion of the same events:
 * the compiled projector ingests the preloaded records (the baseline), then the compiled CLI
 * rebuilds version 2 from the store it wrote, and `replay verify` must find it equal.
 */
export function replayScenario(): Scenario {
  let kafka: Kafka;
  let topics: BenchTopics;
  let loaded: Preloaded;
  let records = 0;
  return {
    name: 'replay',
    title: 'Replay build',
    notes:
      'Records preloaded into 6 partitions by the `simulate` fleet (1,000 configs; 1% retries, 2% late, 25% streamed in 3 chunks). ' +
      'live: the compiled projector, fresh database, first to last committed batch (records/s). ' +
      'replay: `replay build` (compiled CLI, run as `npm run cli` runs it) from that event store into version 2, from connect to Redis-ready, as it reports itself (stored events/s); `replay verify` must then exit 0.',
    runs: (quick) => (quick ? 1 : 3),
    figures: [
      {
        name: 'build',
        label: 'replay build from the event store',
        unit: 'events/s',
        better: 'higher',
        baselines: ['live'],
        targets: [
          { text: '>= 100,000 events/s', min: 100_000 },
          { text: '>= 5x live ingestion', baseline: 'live', min: 5 },
        ],
      },
      {
        name: 'live',
        label: 'live ingestion of the same records',
        unit: 'events/s',
        better: 'higher',
      },
    ],

    async setup(ctx) {
      const { settings } = ctx;
      records = settings.quick ? 10_000 : Number(process.env.BENCH_EVENTS ?? 1_000_000);
      kafka = benchKafka(settings);
      topics = await createBenchTopics(kafka, settings, 'replay', PARTITIONS);
      loaded = await preloadFleet(kafka, topics, { configs: CONFIGS, records });
      ctx.log('preloaded', { records, distinct_events: loaded.stats.events });
    },

    async run(ctx, index) {
      let build = 0;
      const live = await measureProjector(ctx, {
        name: `replay-${index}`,
        topics,
        records,
        verify: async (_db, env) => {
          const built = await runCli(env, ['build']);
          const line = built.split('\n').find((l) => l.startsWith('{"built"'));
          if (!line) throw new Error(`replay build printed no result:\n${built.slice(-4000)}`);
          const result = (JSON.parse(line) as { built: { events_per_second: number } }).built;
          build = result.events_per_second;
          ctx.log('replay built', result);
          await runCli(env, ['verify']);
        },
      });
      return { build, live: live.eventsPerSecond };
    },

    async teardown() {
      if (topics) await deleteBenchTopics(kafka, topics);
    },
  };
}

// The node flags `npm run cli` runs the CLI with (scripts/cli.sh).
const CLI_NODE_FLAGS = ['--max-semi-space-size=64'];

/** The compiled CLI's `replay <verb>`, as `npm run cli` runs it; fails unless it exits 0. */
async function runCli(env: Record<string, string>, args: string[]): Promise<string> {
  const cli = new ProjectorProcess(env, 'cli', ['replay', ...args], CLI_NODE_FLAGS);
  cli.start();
  const code = await cli.exited(900_000);
  if (code !== 0)
    throw new Error(`replay ${args.join(' ')} exited ${code}:\n${cli.log.slice(-4000)}`);
  return cli.log;
}
