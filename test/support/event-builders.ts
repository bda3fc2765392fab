import {
  modelConfigDeletedEnvelope,
  modelConfigUpsertedEnvelope,
  usageRecordedEnvelope,
} from '@app/contracts';
import { ModelConfigDefinition, parseDollars, UsageRecord } from '@app/governance';
import { randomUUID } from 'crypto';

export const usd = (amount: string): bigint => {
  const nanos = parseDollars(amount);
  if (nanos === null) throw new Error(`bad amount ${amount}`);
  return nanos;
};

export function aConfig(overrides: Partial<ModelConfigDefinition> = {}): ModelConfigDefinition {
  const createdAt = overrides.createdAt ?? new Date('2026-01-01T00:00:00Z');
  return {
    id: `mc-${randomUUID()}`,
    modelName: 'gpt-4o',
    provider: 'openai',
    scope: 'global',
    scopeId: null,
    scopeName: null,
    calendarAligned: false,
    budgets: [{ id: 'b-day', maxLimit: usd('100'), resetDuration: '1d' }],
    rateLimit: {
      id: 'rl-1',
      tokenMaxLimit: 1_000_000,
      tokenResetDuration: '1h',
      requestMaxLimit: 10_000,
      requestResetDuration: '1h',
    },
    createdAt,
    updatedAt: createdAt,
    ...overrides,
  };
}

export function aUsage(overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    requestId: `req-${randomUUID()}`,
    provider: 'openai',
    model: 'gpt-4o',
    virtualKeyId: null,
    userId: null,
    success: true,
    inputTokens: 10,
    outputTokens: 5,
    totalTokens: 15,
    cost: usd('0.25'),
    streaming: false,
    finalChunk: true,
    time: new Date(),
    ...overrides,
  };
}

export const configUpserted = (def: ModelConfigDefinition, time = new Date()) =>
  modelConfigUpsertedEnvelope(def, { source: 'tests/admin', id: randomUUID(), time });

export const configDeleted = (id: string, time = new Date()) =>
  modelConfigDeletedEnvelope(id, { source: 'tests/admin', id: randomUUID(), time });

export const usageRecorded = (usage: UsageRecord, id: string = randomUUID()) =>
  usageRecordedEnvelope(usage, { source: 'tests/gateway', id });
