import { Kafka } from 'kafkajs';
import { Scenario } from '../runner/scenario';
import { bareConsumeRate } from '../support/bare-consumer';
import {
  benchKafka,
  BenchTopics,
  createBenchTopics,
  deleteBenchTopics,
} from '../support/bench-topics';
import { measureProjector } from '../support/measure-projector';
import { preloadFleet } from '../support/preload';

/**
 * (6) Two projector processes in one consumer group against one, on the same preloaded
 * records and a fresh database each. On a 2-core machine that shares the CPU with the broker
 * and PostgreSQL this shows what the rebalance-safe design costs, not a speed-up.
 */
export function scaleOutScenario(): Scenario {
  let kafka: Kafka;
  let topics: BenchTopics;
  let records = 0;
  return {
    name: 'scale_out',
    title: 'Scale-out',
    notes:
      'Same preloaded records, fresh database per measurement; two processes share the 6 partitions of one group. ' +
      'On 2 shared cores a second process adds contention and a rebalance, not capacity: the ratio shows the overhead of running two.',
    runs: (quick) => (quick ? 1 : 3),
    figures: [
      {
        name: 'two_processes',
        label: 'two projectors, one group',
        unit: 'events/s',
        better: 'higher',
        baselines: ['one_process', 'bare_consumer'],
      },
      {
        name: 'one_process',
        label: 'one projector',
        unit: 'events/s',
        better: 'higher',
        baselines: ['bare_consumer'],
      },
      {
        name: 'bare_consumer',
        label: 'bare kafkajs consumer',
        unit: 'records/s',
        better: 'higher',
      },
    ],

    async setup(ctx) {
      const { settings } = ctx;
      records = settings.quick ? 5_000 : Number(process.env.BENCH_SCALE_OUT_EVENTS ?? 200_000);
      kafka = benchKafka(settings);
      topics = await createBenchTopics(kafka, settings, 'scale-out', 6);
      await preloadFleet(kafka, topics, { configs: 1000, records });
    },

    async run(ctx, index) {
      const plan = { topics, records };
      const bare = await bareConsumeRate(kafka, topics.usage, records);
      const one = await measureProjector(ctx, { ...plan, name: `scale-one-${index}` });
      const two = await measureProjector(ctx, {
        ...plan,
        name: `scale-two-${index}`,
        processes: 2,
      });
      return {
        two_processes: two.eventsPerSecond,
        one_process: one.eventsPerSecond,
        bare_consumer: bare,
      };
    },

    async teardown() {
      if (topics) await deleteBenchTopics(kafka, topics);
    },
  };
}
