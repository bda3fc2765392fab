import { parseDollars } from '../money/nanos';
import {
  BudgetDefinition,
  ModelConfigDefinition,
  Nanos,
  RateLimitDefinition,
} from '../model/model-config';
import { TrackedLimit } from '../model/tracked-limit';
import { UsageRecord } from '../model/usage';

/** Dollars written the way a test reads them: `usd('0.25')`. */
export function usd(dollars: string): Nanos {
  const nanos = parseDollars(dollars);
  if (nanos === null) throw new Error(`test builder: not a dollar amount: ${dollars}`);
  return nanos;
}

export const aBudget = (overrides: Partial<BudgetDefinition> = {}): BudgetDefinition => ({
  id: 'budget-1',
  maxLimit: usd('10'),
  resetDuration: '1M',
  ...overrides,
});

export const aRateLimit = (overrides: Partial<RateLimitDefinition> = {}): RateLimitDefinition => ({
  id: 'rate-limit-1',
  tokenMaxLimit: 1_000,
  tokenResetDuration: '1h',
  requestMaxLimit: 100,
  requestResetDuration: '1m',
  ...overrides,
});

export const aConfig = (overrides: Partial<ModelConfigDefinition> = {}): ModelConfigDefinition => ({
  id: 'config-1',
  modelName: 'gpt-4o',
  provider: 'openai',
  scope: 'global',
  scopeId: null,
  scopeName: null,
  calendarAligned: false,
  budgets: [aBudget()],
  rateLimit: null,
  createdAt: new Date('2025-01-01T00:00:00Z'),
  updatedAt: new Date('2025-01-01T00:00:00Z'),
  ...overrides,
});

export const aUsage = (overrides: Partial<UsageRecord> = {}): UsageRecord => ({
  requestId: 'request-1',
  provider: 'openai',
  model: 'gpt-4o',
  virtualKeyId: null,
  userId: null,
  success: true,
  inputTokens: 100,
  outputTokens: 50,
  totalTokens: 150,
  cost: usd('0.25'),
  streaming: false,
  finalChunk: false,
  time: new Date('2025-03-10T12:00:00Z'),
  ...overrides,
});

export const aTrackedLimit = (overrides: Partial<TrackedLimit> = {}): TrackedLimit => ({
  configId: 'config-1',
  kind: 'budget',
  limitId: 'budget-1',
  dimension: 'cost',
  maxLimit: usd('10'),
  resetDuration: '1h',
  calendarAligned: false,
  anchor: new Date('2025-01-01T00:00:00Z'),
  counterKey: 'config-1/budget/budget-1/cost/g1',
  ...overrides,
});
