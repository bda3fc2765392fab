import { ThresholdCrossedEnvelope } from '@app/contracts';
import { ACTIVE_VERSION_IN_POSTGRES, ACTIVE_VERSION_IN_REDIS, VersionSource } from '@app/ledger';
import { ApiStack, openApiStack, RunningApi } from '../support/api-harness';
import {
  aligned,
  Call,
  CALLS,
  callEvent,
  expectedUsage,
  FULL_RANGE,
  HISTORY_CONFIGS,
  HistoryBody,
  limitOf,
  sendHistory,
  historyOf,
} from '../support/history-fixture';
import { KafkaTestClient, suiteTopics } from '../support/kafka-test-client';
import { jsonLine, runReplay } from '../support/replay-cli';
import { waitFor } from '../support/wait-for';

const THRESHOLDS = [50, 80, 100]; // ALERT_THRESHOLDS' default
/** Sent after the switch: a late call in closed Q2 2024, to 50% of b-1Q and of rl-a's requests. */
const LATE: Call = { time: '2024-05-15T12:00:00Z', cost: '1', tokens: 1 };

type Answers = Record<string, HistoryBody>;
const alertKey = (configId: string, limitId: string, dimension: string, start: string, t: number) =>
  `${configId} ${limitId}/${dimension} ${new Date(start).toISOString()} ${t}%`;

/**
 * Usage history and threshold alerts across a full replay: events over several windows of every
 * unit (calendar and rolling months and quarters included), most of them late, then
 * `replay build`, `replay verify` and `replay switch` with the compiled CLI. The answers of the
 * rebuilt version equal the live one's, and no window and threshold is alerted twice.
 */
describe('usage history and alerts across a replay', () => {
  const topics = suiteTopics('history-replay');
  const kafka = new KafkaTestClient();
  let stack: ApiStack | undefined;
  let api: RunningApi;
  const calls: Record<string, Call[]> = { ...CALLS };

  const history = (id: string, query: Record<string, string> = {}) => historyOf(api, id, query);
  const answers = async (): Promise<Answers> => {
    const out: Answers = {};
    for (const c of HISTORY_CONFIGS) {
      const res = await history(c.id, FULL_RANGE[c.id]);
      expect(res.status).toBe(200);
      out[c.id] = res.body as HistoryBody;
    }
    return out;
  };

  /** Every window and threshold the calls reach, worked out from the calls alone. */
  const expectedAlerts = (a: Answers): string[] =>
    HISTORY_CONFIGS.flatMap((c) =>
      a[c.id].limits.flatMap((limit) =>
        limit.windows.flatMap((w) => {
          // In millionths, so $5 of $10 is exactly 50%.
          const used = Math.round(expectedUsage(calls[c.id], limit, w) * 1e6);
          const max = Math.round(limit.max_limit * 1e6);
          return THRESHOLDS.filter((t) => used * 100 >= t * max).map((t) =>
            alertKey(c.id, limit.id, limit.dimension, w.window_start, t),
          );
        }),
      ),
    ).sort();

  /** Every alert on the topic (one more than expected is waited for, to catch a duplicate). */
  const publishedAlerts = async (expected: number): Promise<string[]> => {
    await waitFor('alert outbox drained', async () => {
      const [{ n }]: { n: string }[] = await stack!.db.query(
        'SELECT count(*) AS n FROM alert_outbox WHERE published_at IS NULL',
      );
      return n === '0';
    });
    const messages = await kafka.readAll(topics.alerts, expected + 1, 4_000);
    return messages
      .map((m) => JSON.parse(m.value!.toString()) as ThresholdCrossedEnvelope)
      .map(({ data: d }) =>
        alertKey(d.model_config_id, d.limit_id, d.dimension, d.window_start, d.threshold_percent),
      )
      .sort();
  };
  const outboxSize = async () =>
    Number((await stack!.db.query('SELECT count(*) AS n FROM alert_outbox'))[0].n);

  const servedVersion = () =>
    [ACTIVE_VERSION_IN_POSTGRES, ACTIVE_VERSION_IN_REDIS].map(
      (s) => api.app.get<VersionSource>(s).current().id,
    );

  let live: Answers;
  let liveAlerts: string[];

  beforeAll(async () => {
    stack = await openApiStack(topics, kafka);
    ({ api } = stack);
    await sendHistory(kafka, topics, history);
    live = await answers();
    liveAlerts = await publishedAlerts(expectedAlerts(live).length);
  });

  afterAll(() => stack?.close());

  it('alerts once per window and threshold reached, closed windows of late events included', () => {
    const expected = expectedAlerts(live);
    expect(liveAlerts).toEqual(expected);
    // Every kind of window is in it: calendar quarter and month, rolling quarter, sub-day.
    expect(expected.length).toBeGreaterThan(10);
    expect(expected).toContain(alertKey(aligned.id, 'b-1Q', 'cost', '2024-01-01T00:00:00Z', 50));
    expect(expected).toContain(alertKey(aligned.id, 'rl-a', 'requests', '2024-01-01T00:00Z', 100));
  });

  it('rebuilds version 2 from the store equal to the live one: verify exits 0', async () => {
    const outbox = await outboxSize();
    const build = await runReplay(['build']);
    expect(build.code).toBe(0);
    const stored = HISTORY_CONFIGS.length + Object.values(CALLS).flat().length;
    const { built } = jsonLine<{ built: { version: number; events: number } }>(
      build.output,
      'built',
    );
    expect(built).toMatchObject({ version: 2, events: stored });

    const verify = await runReplay(['verify']);
    expect(verify.output).toContain('result: no differences');
    expect(verify.code).toBe(0);
    expect(await outboxSize()).toBe(outbox); // a rebuild records no alert
  });

  it('answers the same history on the rebuilt version after the switch, and alerts nothing again', async () => {
    const switched = await runReplay(['switch']);
    expect(switched.output).toContain('switched: version 2 is active');
    expect(switched.code).toBe(0);
    await waitFor('API serving version 2', async () => servedVersion().every((id) => id === 2));

    expect(await answers()).toEqual(live);
    expect(await publishedAlerts(liveAlerts.length)).toEqual(liveAlerts);
  });

  it('counts a late event on both versions and alerts its new crossings once, from the active one', async () => {
    calls[aligned.id] = [...CALLS[aligned.id], LATE];
    await kafka.sendEvents(topics.usage, [callEvent(aligned.id, LATE)]);
    await waitFor('the late call counted', async () => {
      const res = await history(aligned.id, FULL_RANGE[aligned.id]);
      return limitOf(res, 'b-1Q').windows.some(
        (w) => w.usage === 5 && w.window_start.startsWith('2024-04'),
      );
    });

    const now = await answers();
    for (const c of HISTORY_CONFIGS) {
      for (const limit of now[c.id].limits) {
        for (const w of limit.windows) {
          const usage = expectedUsage(calls[c.id], limit, w);
          expect({ limit: limit.id, at: w.window_start, usage: w.usage }).toEqual({
            limit: limit.id,
            at: w.window_start,
            usage,
          });
        }
      }
    }
    const expected = expectedAlerts(now);
    expect(expected.filter((k) => !liveAlerts.includes(k))).toEqual([
      alertKey(aligned.id, 'b-1Q', 'cost', '2024-04-01T00:00:00Z', 50),
      alertKey(aligned.id, 'rl-a', 'requests', '2024-04-01T00:00:00Z', 50),
    ]);
    expect(await publishedAlerts(expected.length)).toEqual(expected);

    // Version 1 kept following: it holds the late call too.
    await waitFor('version 1 level', async () => (await runReplay(['verify'])).code === 0);
  });
});
