import { ModelConfigDefinition } from '@app/governance';
import { randomUUID } from 'crypto';
import { Response } from 'supertest';
import { AUTH, RunningApi } from './api-harness';
import { aConfig, aUsage, configUpserted, usageRecorded, usd } from './event-builders';
import { LIST } from './http-bad-requests';
import { KafkaTestClient, SuiteTopics } from './kafka-test-client';
import { waitFor } from './wait-for';

/**
 * Usage over several windows of every unit (s, m, h, d, w, calendar and rolling M, Q, Y), at
 * fixed 2024 times, so what a window holds never depends on when the suite runs. Shared by the
 * history suites: the live read model and a rebuilt one must answer alike.
 */
export interface WindowBody {
  window_start: string;
  window_end: string;
  usage: number;
  max_limit: number;
  percent_used: number;
}
export interface LimitBody {
  kind: string;
  id: string;
  dimension: 'cost' | 'tokens' | 'requests';
  reset_duration: string;
  calendar_aligned: boolean;
  max_limit: number;
  series_start: string;
  windows: WindowBody[];
}
export interface HistoryBody {
  model_config_id: string;
  from: string;
  to: string;
  limits: LimitBody[];
}

/** One charged call: what it adds to each dimension, and when it happened. */
export interface Call {
  time: string;
  cost: string;
  tokens: number;
}

/** A config's usage history, asked of the running API as a client would. */
export const historyOf = (api: RunningApi, id: string, query: Record<string, string> = {}) =>
  api
    .http()
    .get(`${LIST}/${encodeURIComponent(id)}/usage`)
    .query(query)
    .set(AUTH);

export const at = (iso: string): Date => new Date(iso);
const budget = (resetDuration: string, maxLimit = '10') => ({
  id: `b-${resetDuration}`,
  maxLimit: usd(maxLimit),
  resetDuration,
});

/** Calendar-aligned day-or-longer windows over the leap year 2024; created on Jan 1. */
export const aligned = aConfig({
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
export const rolling = aConfig({
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
export const subDay = aConfig({
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
export const HISTORY_CONFIGS = [aligned, rolling, subDay];

export const CALLS: Record<string, Call[]> = {
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

/** A range per config that holds every one of its calls (at most 400 days). */
export const FULL_RANGE: Record<string, { from: string; to: string }> = {
  [aligned.id]: { from: '2023-12-01T00:00:00Z', to: '2025-01-01T00:00:00Z' },
  [rolling.id]: { from: '2023-12-01T00:00:00Z', to: '2025-01-01T00:00:00Z' },
  [subDay.id]: { from: '2024-06-01T00:00:00Z', to: '2024-06-01T03:00:00Z' },
};

export const modelOf = (id: string): ModelConfigDefinition =>
  HISTORY_CONFIGS.find((c) => c.id === id)!;

export const callEvent = (id: string, c: Call) =>
  usageRecorded(
    aUsage({
      model: modelOf(id).modelName,
      time: at(c.time),
      cost: usd(c.cost),
      inputTokens: c.tokens,
      outputTokens: 0,
      totalTokens: c.tokens,
    }),
  );

/** The independent oracle: what a window holds is the sum of the calls inside it. */
export function expectedUsage(calls: Call[], limit: LimitBody, w: WindowBody): number {
  const inside = calls.filter(
    (c) => at(c.time) >= at(w.window_start) && at(c.time) < at(w.window_end),
  );
  const sum = (f: (c: Call) => number) => inside.reduce((s, c) => s + f(c), 0);
  if (limit.dimension === 'cost') return Math.round(sum((c) => Number(c.cost)) * 1e6) / 1e6;
  return limit.dimension === 'tokens' ? sum((c) => c.tokens) : inside.length;
}

export function limitOf(res: Response, id: string, dimension = 'cost'): LimitBody {
  const found = (res.body as HistoryBody).limits.find(
    (l) => l.id === id && l.dimension === dimension,
  );
  if (!found) throw new Error(`no ${id}/${dimension} in ${JSON.stringify(res.body)}`);
  return found;
}

export type HistoryQuery = (id: string, query?: Record<string, string>) => Promise<Response>;

/**
 * Sends the configs, then every call newest first, so every other event is late: it lands in a
 * window already closed. Resolves once the API shows all of them.
 */
export async function sendHistory(
  kafka: KafkaTestClient,
  topics: SuiteTopics,
  history: HistoryQuery,
): Promise<void> {
  await kafka.sendEvents(
    topics.config,
    HISTORY_CONFIGS.map((c) => configUpserted(c)),
  );
  await waitFor('configs applied', async () => {
    const codes = await Promise.all(
      HISTORY_CONFIGS.map(async (c) => (await history(c.id, FULL_RANGE[c.id])).status),
    );
    return codes.every((c) => c === 200);
  });
  const events = Object.entries(CALLS).flatMap(([id, calls]) => calls.map((c) => callEvent(id, c)));
  await kafka.sendEvents(topics.usage, events.reverse());
  await waitFor('every call counted', async () => {
    for (const c of HISTORY_CONFIGS) {
      const res = await history(c.id, FULL_RANGE[c.id]);
      if (res.status !== 200) return false;
      const total = limitOf(res, c.budgets[c.budgets.length - 1].id).windows.reduce(
        (s, w) => s + w.usage,
        0,
      );
      const expected = CALLS[c.id].reduce((s, call) => s + Number(call.cost), 0);
      if (Math.abs(total - expected) > 1e-9) return false;
    }
    return true;
  });
}
