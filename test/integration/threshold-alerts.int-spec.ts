import { ThresholdCrossedEnvelope } from '@app/contracts';
import { ConfigResourceTypes, KafkaMessage } from 'kafkajs';
import { aConfig, aUsage, configUpserted, usageRecorded, usd } from '../support/event-builders';
import { ProjectorProcess } from '../support/projector-process';
import { waitFor } from '../support/wait-for';
import { WriteSideSuite } from '../support/write-side-suite';

const HOUR = 3_600_000;

/** A config whose request limit (10 per rolling hour) is the only one usage can cross. */
const aRequestLimited = (modelName: string) =>
  aConfig({
    modelName,
    budgets: [{ id: 'b-day', maxLimit: usd('1000'), resetDuration: '1d' }],
    rateLimit: {
      id: 'rl-1',
      tokenMaxLimit: null,
      tokenResetDuration: null,
      requestMaxLimit: 10,
      requestResetDuration: '1h',
    },
    createdAt: new Date(Math.floor(Date.now() / HOUR) * HOUR - 24 * HOUR),
  });

const calls = (model: string, count: number, time: () => Date) =>
  Array.from({ length: count }, () => usageRecorded(aUsage({ model, time: time() })));

const alertOf = (m: KafkaMessage): ThresholdCrossedEnvelope =>
  JSON.parse(m.value!.toString()) as ThresholdCrossedEnvelope;

async function outboxRows(suite: WriteSideSuite): Promise<{ pending: number; all: number }> {
  const [row]: { pending: string; all: string }[] = await suite.db.query(
    `SELECT count(*) FILTER (WHERE published_at IS NULL) AS pending, count(*) AS all
       FROM alert_outbox`,
  );
  return { pending: Number(row.pending), all: Number(row.all) };
}

/** Everything on the alert topic, after giving a stray duplicate time to show up. */
async function alertsOnTopic(suite: WriteSideSuite, expected: number): Promise<KafkaMessage[]> {
  await waitFor('alerts published', async () => (await outboxRows(suite)).pending === 0, 30_000);
  return suite.kafka.readAll(suite.topics.alerts, expected + 1, 4_000);
}

describe('threshold alerts', () => {
  describe('in process: redelivery and late events', () => {
    const suite = new WriteSideSuite('alerts');
    const config = aRequestLimited('alert-model');

    beforeAll(async () => {
      await suite.setUp();
      await suite.kafka.sendEvents(suite.topics.config, [configUpserted(config)]);
      await suite.eventsApplied(1);
    });
    afterAll(() => suite.tearDown());

    it('publishes one alert per window and threshold, never again on redelivery', async () => {
      const now = () => new Date();
      const first = calls('alert-model', 10, now);
      // One partition, so the order the calls are applied in (and so which one crosses) is known.
      await suite.kafka.sendEvents(suite.topics.usage, first, 0);
      await suite.eventsApplied(11);
      await suite.kafka.sendEvents(suite.topics.usage, first); // redelivered: same ids
      // Later events past 100% in the same window cross nothing new.
      await suite.kafka.sendEvents(suite.topics.usage, calls('alert-model', 3, now));
      await suite.eventsApplied(14);

      const alerts = (await alertsOnTopic(suite, 3)).map(alertOf);
      expect(alerts.map((a) => a.data.threshold_percent)).toEqual([50, 80, 100]);
      expect(new Set(alerts.map((a) => a.id)).size).toBe(3);
      const windowStarts = new Set(alerts.map((a) => a.data.window_start));
      expect(windowStarts.size).toBe(1);
      expect(alerts[0]).toMatchObject({
        specversion: '1.0',
        type: 'governance.limit.threshold_crossed.v1',
        source: 'usage-ledger/projector',
        subject: config.id,
        data: {
          model_config_id: config.id,
          limit_kind: 'rate_limit',
          limit_id: 'rl-1',
          dimension: 'requests',
          threshold_percent: 50,
          usage: 5,
          max_limit: 10,
        },
      });
      // `time` is the time of the event that crossed: the 5th, 8th and 10th call.
      const times = first.map((e) => e.time);
      expect(alerts.map((a) => a.time)).toEqual([times[4], times[7], times[9]]);
      expect(Date.parse(alerts[0].data.window_end) - Date.parse(alerts[0].data.window_start)).toBe(
        HOUR,
      );
    });

    it('alerts for a closed window that late events push over a threshold', async () => {
      const lateTime = Date.now() - 5 * HOUR;
      const late = calls('alert-model', 8, () => new Date(lateTime));
      await suite.kafka.sendEvents(suite.topics.usage, late, 1);
      await suite.eventsApplied(22);

      const alerts = (await alertsOnTopic(suite, 5)).map(alertOf);
      const lateOnes = alerts.filter((a) => Date.parse(a.data.window_end) <= Date.now() - 3 * HOUR);
      expect(lateOnes.map((a) => [a.data.threshold_percent, a.data.usage])).toEqual([
        [50, 5],
        [80, 8],
      ]);
      expect(Date.parse(lateOnes[0].data.window_start)).toBeLessThanOrEqual(lateTime);
      expect(Date.parse(lateOnes[0].data.window_end)).toBeGreaterThan(lateTime);
      expect(alerts).toHaveLength(5);
      const keys = (await suite.kafka.readAll(suite.topics.alerts, 5)).map((m) =>
        m.key?.toString(),
      );
      expect(new Set(keys)).toEqual(new Set([config.id]));
    });
  });

  describe('compiled projector: SIGKILL between commit and publish', () => {
    const suite = new WriteSideSuite('alerts-kill');
    // An interval far beyond the test: the first process commits alerts but never publishes.
    const stalled = () => new ProjectorProcess({ ...suite.env, ALERT_PUBLISH_INTERVAL: '1h' });
    let projector: ProjectorProcess | null = null;

    beforeAll(() => suite.setUp(false));
    afterAll(async () => {
      await projector?.stop();
      await suite.tearDown();
    });

    it('publishes each alert exactly once after the crash', async () => {
      const config = aRequestLimited('kill-model');
      await suite.kafka.sendEvents(suite.topics.config, [configUpserted(config)]);
      projector = stalled();
      projector.start();
      await suite.eventsApplied(1, 60_000);
      const committed = calls('kill-model', 8, () => new Date());
      await suite.kafka.sendEvents(suite.topics.usage, committed);
      await waitFor('alerts committed', async () => (await outboxRows(suite)).all === 2, 60_000);
      await projector.kill();

      // Redelivery after the crash (the same events again) and one more call to 90%.
      projector = new ProjectorProcess({ ...suite.env, ALERT_PUBLISH_INTERVAL: '100ms' });
      projector.start();
      await suite.kafka.sendEvents(suite.topics.usage, committed);
      await suite.kafka.sendEvents(
        suite.topics.usage,
        calls('kill-model', 1, () => new Date()),
      );
      await suite.eventsApplied(10, 60_000);
      const alerts = (await alertsOnTopic(suite, 2)).map(alertOf);
      expect(alerts.map((a) => a.data.threshold_percent)).toEqual([50, 80]);
      expect(await outboxRows(suite)).toEqual({ pending: 0, all: 2 });
    });
  });

  describe('an unavailable alert topic', () => {
    const suite = new WriteSideSuite('alerts-down');

    beforeAll(async () => {
      await suite.setUp(false);
      // A topic that refuses every record (each alert is larger than it accepts).
      const admin = suite.kafka.kafka.admin();
      await admin.connect();
      // No waitForLeaders: on a busy broker its metadata poll can fail transiently; poll here.
      await admin.createTopics({
        waitForLeaders: false,
        topics: [
          {
            topic: suite.topics.alerts,
            numPartitions: 1,
            replicationFactor: 1,
            configEntries: [{ name: 'max.message.bytes', value: '64' }],
          },
        ],
      });
      await waitFor('alert topic has a leader', async () => {
        const { topics } = await admin.fetchTopicMetadata({ topics: [suite.topics.alerts] });
        return topics[0]?.partitions[0]?.leader >= 0;
      });
      await admin.disconnect();
      // Silent: the refused publishes are expected here and would only fill the test output.
      await suite.startProjector({ ALERT_PUBLISH_INTERVAL: '100ms', LOG_LEVEL: 'silent' });
    });
    afterAll(() => suite.tearDown());

    it('never holds back usage; the outbox waits and delivers once the topic is back', async () => {
      const config = aRequestLimited('down-model');
      await suite.kafka.sendEvents(suite.topics.config, [configUpserted(config)]);
      await suite.eventsApplied(1);
      for (let i = 0; i < 10; i++) {
        await suite.kafka.sendEvents(
          suite.topics.usage,
          calls('down-model', 1, () => new Date()),
        );
      }
      await suite.eventsApplied(11);
      expect(await suite.usageInPostgres(config.id, 'rl-1', 'requests')).toBe(10n);
      await waitFor('usage in Redis', async () => {
        return (await suite.usageInRedis(config.id, 'rl-1', 'requests')) === 10n;
      });
      expect(await outboxRows(suite)).toEqual({ pending: 3, all: 3 });

      const admin = suite.kafka.kafka.admin();
      await admin.connect();
      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: suite.topics.alerts,
            configEntries: [{ name: 'max.message.bytes', value: '1048588' }],
          },
        ],
      });
      await admin.disconnect();
      const alerts = (await alertsOnTopic(suite, 3)).map(alertOf);
      expect(alerts.map((a) => a.data.threshold_percent)).toEqual([50, 80, 100]);
    });
  });
});
