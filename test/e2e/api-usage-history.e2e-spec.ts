import { ModelConfigDefinition } from '@app/governance';
import { randomUUID } from 'crypto';
import { Response } from 'supertest';
import { ApiStack, AUTH, bifrostError, openApiStack, RunningApi } from '../support/api-harness';
import { aConfig, aUsage, configUpserted, usageRecorded, usd } from '../support/event-builders';
import { KafkaTestClient, suiteTopics } from '../support/kafka-test-client';
import { waitFor } from '../support/wait-for';

const LIST = '/api/governance/model-configs';
const DAY = 86_400_000;

interface WindowBody {
  window_start: string;
  window_end: string;
  usage: number;
  max_limit: number;
  percent_used: number;
}
interface LimitBody {
  kind: string;
  id: string;
  dimension: 'cost' | 'tokens' | 'requests';
  reset_duration: string;
  calendar_aligned: boolean;
  max_limit: number;
  series_start: string;
  windows: WindowBody[];
}
interface HistoryBody {
  model_config_id: string;
  from: string;
  to: string;
  limits: LimitBody[];
}

/** One charged call: what it adds to each dimension, and when it happened. */
interface Call {
  time: string;
  cost: string;
  tokens: number;
}

const at = (iso: string): Date => new Date(iso);
const budget = (resetDuration: string, maxLimit = '10') => ({
  id: `b-${resetDuration}`,
  maxLimit: usd(maxLimit),
  resetDuration,
});

/** Calendar-aligned day-or-longer windows over the leap year 2024; created on Jan 1. */
const aligned = aConfig({
  modelName: `hist-aligned-${randomUUID()}`,
  calendarAligned: true,
  budgets: ['1d', '1w', '1M', '1Q', '1Y'].map((d) => budget(d)),
  rateLimit: {
    id: 'rl-a',
    tokenMaxLimit: 1000,
    tokenResetDuration: '1M',
    requestMaxLimit: 4,
    requestResetDuration: '1Q',
  },
  createdAt: at('2024-01-01T00:00:00Z'),
});
/** Rolling windows (M = 30 days, Q = 90 days) anchored at an odd creation time. */
const rolling = aConfig({
  modelName: `hist-rolling-${randomUUID()}`,
  budgets: ['1d', '1w', '1M', '1Q', '1Y'].map((d) => budget(d)),
  rateLimit: {
    id: 'rl-r',
    tokenMaxLimit: 500,
    tokenResetDuration: '1w',
    requestMaxLimit: null,
    requestResetDuration: null,
  },
  createdAt: at('2024-01-10T06:00:00Z'),
});
/** Sub-day units: seconds, minutes, hours. */
const subDay = aConfig({
  modelName: `hist-subday-${randomUUID()}`,
  budgets: ['30s', '1m', '1h'].map((d) => budget(d, '1')),
  rateLimit: {
    id: 'rl-s',
    tokenMaxLimit: 100,
    tokenResetDuration: '5m',
    requestMaxLimit: 2,
    requestResetDuration: '15m',
  },
  createdAt: at('2024-06-01T00:00:00Z'),
});

const CALLS: Record<string, Call[]> = {
  [aligned.id]: [
    { time: '2024-01-01T00:00:00Z', cost: '1', tokens: 100 },
    { time: '2024-01-31T23:59:59.999Z', cost: '2', tokens: 50 },
    { time: '2024-02-29T12:00:00Z', cost: '0.5', tokens: 10 }, // leap day
    { time: '2024-03-31T23:00:00Z', cost: '3', tokens: 20 }, // last hour of Q1
    { time: '2024-04-01T00:00:00Z', cost: '4', tokens: 30 }, // first instant of Q2
    { time: '2024-09-30T10:00:00Z', cost: '5', tokens: 40 },
    { time: '2024-12-31T23:59:59Z', cost: '6', tokens: 60 },
  ],
  [rolling.id]: [
    // before the config's creation: a late, back-dated event still shows in its window
    { time: '2024-01-05T07:00:00Z', cost: '0.25', tokens: 5 },
    { time: '2024-01-10T06:00:00Z', cost: '1', tokens: 10 },
    { time: '2024-02-09T05:59:59Z', cost: '2', tokens: 20 }, // last second of the 1st 30 days
    { time: '2024-02-09T06:00:00Z', cost: '3', tokens: 30 }, // first second of the 2nd
    { time: '2024-04-09T06:00:00Z', cost: '4', tokens: 40 }, // anchor + 90 days: 2nd quarter
    { time: '2024-11-30T00:00:00Z', cost: '5', tokens: 50 },
  ],
  [subDay.id]: [
    { time: '2024-06-01T00:00:00Z', cost: '0.1', tokens: 10 },
    { time: '2024-06-01T00:00:29.999Z', cost: '0.2', tokens: 20 },
    { time: '2024-06-01T00:00:30Z', cost: '0.3', tokens: 30 },
    { time: '2024-06-01T00:14:59Z', cost: '0.4', tokens: 40 },
    { time: '2024-06-01T01:59:00Z', cost: '0.5', tokens: 50 },
  ],
};

const modelOf = (id: string): ModelConfigDefinition =>
  [aligned, rolling, subDay].find((c) => c.id === id)!;

/** The independent oracle: what a window holds is the sum of the calls inside it. */
function expectedUsage(calls: Call[], limit: LimitBody, w: WindowBody): number {
  const inside = calls.filter(
    (c) => at(c.time) >= at(w.window_start) && at(c.time) < at(w.window_end),
  );
  const sum = (f: (c: Call) => number) => inside.reduce((s, c) => s + f(c), 0);
  if (limit.dimension === 'cost') return Math.round(sum((c) => Number(c.cost)) * 1e6) / 1e6;
  return limit.dimension === 'tokens' ? sum((c) => c.tokens) : inside.length;
}

describe('usage history: GET /api/governance/model-configs/{id}/usage', () => {
  const topics = suiteTopics('api-history');
  const kafka = new KafkaTestClient();
  let stack: ApiStack | undefined;
  let api: RunningApi;

  const history = (id: string, query: Record<string, string> = {}) =>
    api
      .http()
      .get(`${LIST}/${encodeURIComponent(id)}/usage`)
      .query(query)
      .set(AUTH);
  const limitOf = (res: Response, id: string, dimension = 'cost'): LimitBody => {
    const found = (res.body as HistoryBody).limits.find(
      (l) => l.id === id && l.dimension === dimension,
    );
    if (!found) throw new Error(`no ${id}/${dimension} in ${JSON.stringify(res.body)}`);
    return found;
  };
  const startsOf = (l: LimitBody) => l.windows.map((w) => w.window_start.replace(':00.000Z', ''));

  beforeAll(async () => {
    stack = await openApiStack(topics, kafka);
    ({ api } = stack);
    await kafka.sendEvents(
      topics.config,
      [aligned, rolling, subDay].map((c) => configUpserted(c)),
    );
    await waitFor('configs applied', async () => {
      const codes = await Promise.all(
        [aligned, rolling, subDay].map(
          async (c) =>
            (await history(c.id, { from: '2024-06-01T00:00:00Z', to: '2024-06-02T00:00:00Z' }))
              .status,
        ),
      );
      return codes.every((c) => c === 200);
    });
    // Newest first, so every other event is late: it lands in a window already closed.
    const events = Object.entries(CALLS).flatMap(([id, calls]) =>
      calls.map((c) =>
        usageRecorded(
          aUsage({
            model: modelOf(id).modelName,
            time: at(c.time),
            cost: usd(c.cost),
            inputTokens: c.tokens,
            outputTokens: 0,
            totalTokens: c.tokens,
          }),
        ),
      ),
    );
    await kafka.sendEvents(topics.usage, events.reverse());
    await waitFor('every call counted', async () => {
      const res = await history(aligned.id, {
        from: '2024-01-01T00:00:00Z',
        to: '2025-01-01T00:00:00Z',
      });
      const year = res.status === 200 && limitOf(res, 'b-1Y').windows[0];
      const sub = await history(subDay.id, {
        from: '2024-06-01T00:00:00Z',
        to: '2024-06-01T03:00:00Z',
      });
      const hours = sub.status === 200 && limitOf(sub, 'b-1h').windows;
      const rolled = await history(rolling.id, {
        from: '2024-01-01T00:00:00Z',
        to: '2025-01-01T00:00:00Z',
      });
      const rollYear = rolled.status === 200 && limitOf(rolled, 'b-1Y').windows;
      return (
        year &&
        year.usage === 21.5 &&
        hours &&
        hours.reduce((s, w) => s + w.usage, 0) === 1.5 &&
        rollYear &&
        rollYear.reduce((s, w) => s + w.usage, 0) === 15.25
      );
    });
  });

  afterAll(() => stack?.close());

  it.each([
    ['aligned (d, w, M, Q, Y)', aligned.id, '2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z'],
    [
      'rolling (d, w, 30-day M, 90-day Q, 365-day Y)',
      rolling.id,
      '2024-01-01T00:00:00Z',
      '2025-01-01T00:00:00Z',
    ],
    ['sub-day (30s, 1m, 1h, 5m, 15m)', subDay.id, '2024-06-01T00:00:00Z', '2024-06-01T03:00:00Z'],
  ])(
    'lists every window of every %s limit, contiguous, with the usage of its events',
    async (_, id, from, to) => {
      const res = await history(id, { from, to });
      expect(res.status).toBe(200);
      const body = res.body as HistoryBody;
      expect([body.model_config_id, body.from, body.to]).toEqual([
        id,
        at(from).toISOString(),
        at(to).toISOString(),
      ]);
      const config = modelOf(id);
      const dimensions =
        config.budgets.length +
        (config.rateLimit?.tokenMaxLimit ? 1 : 0) +
        (config.rateLimit?.requestMaxLimit ? 1 : 0);
      expect(body.limits).toHaveLength(dimensions);
      for (const limit of body.limits) {
        const { windows } = limit;
        expect(windows.length).toBeGreaterThan(0);
        // The first window starts the series (or contains `from`), the last reaches `to`.
        expect(at(windows[0].window_start).getTime()).toBeLessThanOrEqual(
          Math.max(at(from).getTime(), at(limit.series_start).getTime()),
        );
        expect(at(windows[windows.length - 1].window_end).getTime()).toBeGreaterThanOrEqual(
          at(to).getTime(),
        );
        for (let i = 1; i < windows.length; i++) {
          expect(windows[i].window_start).toBe(windows[i - 1].window_end);
        }
        for (const w of windows) {
          const usage = expectedUsage(CALLS[id], limit, w);
          expect({ at: w.window_start, usage: w.usage }).toEqual({ at: w.window_start, usage });
          expect(w.max_limit).toBe(limit.max_limit);
          expect(w.percent_used).toBe(Math.floor((usage / limit.max_limit) * 10_000 + 1e-9) / 100);
        }
      }
    },
  );

  it('walks UTC calendar quarters (Jan, Apr, Jul, Oct) and months, leap February included', async () => {
    const res = await history(aligned.id, {
      from: '2024-01-01T00:00:00Z',
      to: '2025-01-01T00:00:00Z',
    });
    const quarters = limitOf(res, 'b-1Q');
    expect(
      quarters.windows.map((w) => [w.window_start, w.window_end, w.usage, w.percent_used]),
    ).toEqual([
      ['2024-01-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z', 6.5, 65],
      ['2024-04-01T00:00:00.000Z', '2024-07-01T00:00:00.000Z', 4, 40],
      ['2024-07-01T00:00:00.000Z', '2024-10-01T00:00:00.000Z', 5, 50],
      ['2024-10-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', 6, 60],
    ]);
    const months = limitOf(res, 'b-1M');
    expect(months.windows).toHaveLength(12);
    expect(months.windows[1]).toMatchObject({
      window_start: '2024-02-01T00:00:00.000Z',
      window_end: '2024-03-01T00:00:00.000Z',
      usage: 0.5,
    });
    expect(months.windows.map((w) => w.usage)).toEqual([3, 0.5, 3, 4, 0, 0, 0, 0, 5, 0, 0, 6]);
    expect(limitOf(res, 'b-1w').windows).toHaveLength(53); // 2024-01-01 is a Monday
    expect(limitOf(res, 'b-1d').windows).toHaveLength(366);
    expect(limitOf(res, 'rl-a', 'requests').windows.map((w) => w.usage)).toEqual([4, 1, 1, 1]);
    expect(limitOf(res, 'rl-a', 'requests').windows[0].percent_used).toBe(100);
  });

  it('rolls M as 30 and Q as 90 days from the anchor, and shows a back-dated event before it', async () => {
    const res = await history(rolling.id, {
      from: '2023-12-01T00:00:00Z',
      to: '2024-07-01T00:00:00Z',
    });
    const quarters = limitOf(res, 'b-1Q');
    expect(quarters.windows.map((w) => [w.window_start, w.usage])).toEqual([
      ['2023-10-12T06:00:00.000Z', 0.25], // the back-dated event's window, before the anchor
      ['2024-01-10T06:00:00.000Z', 6],
      ['2024-04-09T06:00:00.000Z', 4],
    ]);
    expect(startsOf(limitOf(res, 'b-1M')).slice(0, 4)).toEqual([
      '2023-12-11T06:00',
      '2024-01-10T06:00',
      '2024-02-09T06:00',
      '2024-03-10T06:00',
    ]);
    expect(
      limitOf(res, 'b-1M')
        .windows.slice(0, 3)
        .map((w) => w.usage),
    ).toEqual([0.25, 3, 3]);
    // Days before the back-dated event and after the series start are listed with 0.
    const days = limitOf(res, 'b-1d').windows;
    expect(days[0]).toMatchObject({ window_start: '2024-01-05T06:00:00.000Z', usage: 0.25 });
    expect(days[1]).toMatchObject({ window_start: '2024-01-06T06:00:00.000Z', usage: 0 });
    expect((res.body as HistoryBody).limits.map((l) => l.dimension)).not.toContain('requests');
  });

  it('starts a series at its creation: no windows before it', async () => {
    const res = await history(subDay.id, {
      from: '2024-05-31T23:58:00Z',
      to: '2024-06-01T00:02:00Z',
    });
    expect(startsOf(limitOf(res, 'b-1m'))).toEqual(['2024-06-01T00:00', '2024-06-01T00:01']);
    expect(limitOf(res, 'b-30s').windows.map((w) => w.usage)).toEqual([0.3, 0.3, 0, 0]);
  });

  it('answers from PostgreSQL with the freshness headers of the list', async () => {
    const res = await history(aligned.id);
    expect(res.status).toBe(200);
    expect(res.headers['x-data-source']).toBe('postgres');
    expect(Date.parse(res.headers['x-read-model-as-of'])).not.toBeNaN();
    expect(Number(res.headers['x-read-model-lag-ms'])).toBeGreaterThanOrEqual(0);
    // Default range: the last 30 days, which hold none of the 2024 events.
    const body = res.body as HistoryBody;
    expect(at(body.to).getTime() - at(body.from).getTime()).toBe(30 * DAY);
    expect(limitOf(res, 'b-1d').windows.length).toBeGreaterThanOrEqual(30);
    expect(limitOf(res, 'b-1d').windows.every((w) => w.usage === 0)).toBe(true);
  });

  it.each([
    [
      { from: 'last-week' },
      'Invalid from parameter: must be an RFC 3339 time (2026-01-01T00:00:00Z)',
    ],
    [
      { to: '2024-13-01T00:00:00Z' },
      'Invalid to parameter: must be an RFC 3339 time (2026-01-01T00:00:00Z)',
    ],
    [
      { from: '2024-02-01T00:00:00Z', to: '2024-01-01T00:00:00Z' },
      'Invalid range: to must be after from',
    ],
    [
      { from: '2023-01-01T00:00:00Z', to: '2024-02-05T00:00:00.001Z' },
      'Invalid range: from and to must be at most 400 days apart',
    ],
  ])('refuses %j with 400 "%s"', async (query, message) => {
    const res = await history(aligned.id, query);
    expect([res.status, res.body]).toEqual([400, bifrostError(400, message)]);
  });

  it('refuses a range with too many windows of one limit, naming it', async () => {
    const res = await history(subDay.id, {
      from: '2024-06-01T00:00:00Z',
      to: '2024-07-01T00:00:00Z',
    });
    expect([res.status, res.body]).toEqual([
      400,
      bifrostError(
        400,
        'Too many windows: 86400 windows of 30s (budget b-30s) in the range, at most 50000; narrow from and to',
      ),
    ]);
  });

  it('answers 404 for an unknown config, also with odd characters in the id; 400 for a huge id', async () => {
    for (const id of ['missing', 'a/b', '%00', 'x'.repeat(255)]) {
      const res = await history(id);
      expect([res.status, res.body]).toEqual([404, bifrostError(404, 'Model config not found')]);
    }
    const huge = await history('x'.repeat(5000));
    expect([huge.status, huge.body]).toEqual([
      400,
      bifrostError(400, 'Invalid id: must be at most 255 characters'),
    ]);
  });
});
