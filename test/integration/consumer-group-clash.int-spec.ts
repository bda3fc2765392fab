import { aUsage, usageRecorded } from '../support/event-builders';
import { KafkaTestClient, suiteTopics, topicEnv } from '../support/kafka-test-client';
import { ProjectorProcess } from '../support/projector-process';
import { waitFor } from '../support/wait-for';

interface Ready {
  status: number;
  body: { checks?: Record<string, { status: string; error?: string }> };
}

async function readiness(app: ProjectorProcess): Promise<Ready | undefined> {
  const res = await fetch(`http://127.0.0.1:${app.port}/health/ready`).catch(() => null);
  if (!res) return undefined;
  return { status: res.status, body: (await res.json()) as Ready['body'] };
}

/**
 * Two deployments on one broker with their own topics but the same KAFKA_CONSUMER_GROUP (a
 * staging and a demo instance left at the default): the group hands each projector the other's
 * partitions, which it ignores. Readiness must say so, and the log must say what to do.
 */
describe('a consumer group shared by two deployments', () => {
  const group = suiteTopics('clash').group;
  const staging = { ...suiteTopics('clash-staging'), group };
  const demo = { ...suiteTopics('clash-demo'), group };
  const kafka = new KafkaTestClient();
  const apps = [staging, demo].map(
    (t) => new ProjectorProcess({ ...topicEnv(t), LOG_LEVEL: 'info' }),
  );

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.kill()));
    await kafka.close();
  });

  it('makes both projectors not ready with an error naming KAFKA_CONSUMER_GROUP, and ready again once the clash ends', async () => {
    const [first, second] = apps;
    first.start();
    await waitFor(
      'the first deployment ready',
      async () => (await readiness(first))?.status === 200,
      60_000,
      250,
    );

    second.start();
    await waitFor(
      'the second deployment serving health',
      async () => (await readiness(second)) !== undefined,
      60_000,
      250,
    );
    for (const t of [staging, demo]) {
      await kafka.sendEvents(t.usage, [usageRecorded(aUsage()), usageRecorded(aUsage())], 0);
      await kafka.sendEvents(t.usage, [usageRecorded(aUsage()), usageRecorded(aUsage())], 1);
    }

    for (const app of apps) {
      const res = await waitFor(
        'readiness to report the clash',
        async () => {
          const r = await readiness(app);
          return r?.status === 503 && r.body.checks?.consuming?.status === 'down' ? r : undefined;
        },
        45_000,
        500,
      );
      expect(res.body.checks?.consuming?.error).toContain('KAFKA_CONSUMER_GROUP');
      expect(res.body.checks?.kafka?.status).toBe('up');
      await waitFor('the error log', async () => app.log.includes('consumer group clash'));
      const line = app.log.split('\n').find((l) => l.includes('consumer group clash'))!;
      expect(JSON.parse(line)).toMatchObject({
        level: 50,
        KAFKA_CONSUMER_GROUP: group,
        action: expect.stringContaining('give each deployment its own KAFKA_CONSUMER_GROUP'),
      });
    }

    // The other deployment leaves (SIGTERM: its consumers leave the group at once): the group
    // rebalances to the remaining member alone, which consumes its own partitions again. That
    // takes the member's next heartbeat (600 ms) and one monitor cycle (3 s); 5 runs under a
    // load of 5-6 on 2 cores took 0.5-3 s. The bound is 10 times that; a timeout prints the
    // last readiness seen and the member's group log lines (a rejoin, a crash) to tell why.
    expect(await second.signal('SIGTERM')).toBe(0);
    await waitFor(
      'the remaining deployment ready again',
      async () => {
        const r = await readiness(first);
        if (r?.status === 200) return true;
        const group = first.log.split('\n').filter((l) => /group|rebalanc|join|crash/i.test(l));
        const checks = JSON.stringify(r?.body.checks);
        throw new Error(`readiness ${r?.status}: ${checks}\n${group.slice(-30).join('\n')}`);
      },
      30_000,
      500,
    );
    expect(first.log).toContain('consumer group consuming its own topics again');
  }, 240_000);
});
