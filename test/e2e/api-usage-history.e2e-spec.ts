import { ApiStack, bifrostError, openApiStack, RunningApi } from '../support/api-harness';
import {
  aligned,
  at,
  CALLS,
  expectedUsage,
  HistoryBody,
  LimitBody,
  limitOf,
  modelOf,
  rolling,
  sendHistory,
  subDay,
  historyOf,
} from '../support/history-fixture';
import { KafkaTestClient, suiteTopics } from '../support/kafka-test-client';

const DAY = 86_400_000;

describe('usage history: GET /api/governance/model-configs/{id}/usage', () => {
  const topics = suiteTopics('api-history');
  const kafka = new KafkaTestClient();
  let stack: ApiStack | undefined;
  let api: RunningApi;

  const history = (id: string, query: Record<string, string> = {}) => historyOf(api, id, query);
  const startsOf = (l: LimitBody) => l.windows.map((w) => w.window_start.replace(':00.000Z', ''));

  beforeAll(async () => {
    stack = await openApiStack(topics, kafka);
    ({ api } = stack);
    await sendHistory(kafka, topics, history);
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
