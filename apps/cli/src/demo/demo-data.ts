import { ModelConfigDefinition, UsageRecord } from '@app/governance';
import { randomUUID } from 'crypto';

const CREATED = new Date('2026-01-01T00:00:00Z');
const NANOS_PER_DOLLAR = 1_000_000_000n;

function config(
  id: string,
  rest: Partial<ModelConfigDefinition> & Pick<ModelConfigDefinition, 'modelName'>,
): ModelConfigDefinition {
  return {
    id,
    provider: null,
    scope: 'global',
    scopeId: null,
    scopeName: null,
    calendarAligned: false,
    budgets: [],
    rateLimit: null,
    createdAt: CREATED,
    updatedAt: CREATED,
    ...rest,
  };
}

/** Fixed ids: loading the demo twice changes nothing (the events dedupe on their ids). */
export const DEMO_CONFIGS: ModelConfigDefinition[] = [
  config('demo-gpt-4o-openai', {
    modelName: 'gpt-4o',
    provider: 'openai',
    budgets: [
      { id: 'demo-gpt-4o-daily', maxLimit: 50n * NANOS_PER_DOLLAR, resetDuration: '1d' },
      { id: 'demo-gpt-4o-monthly', maxLimit: 500n * NANOS_PER_DOLLAR, resetDuration: '1M' },
    ],
    rateLimit: {
      id: 'demo-gpt-4o-rl',
      tokenMaxLimit: 1_000_000,
      tokenResetDuration: '1h',
      requestMaxLimit: 1_000,
      requestResetDuration: '1m',
    },
    calendarAligned: true,
  }),
  config('demo-all-models-anthropic', {
    modelName: '*',
    provider: 'anthropic',
    budgets: [
      { id: 'demo-anthropic-weekly', maxLimit: 200n * NANOS_PER_DOLLAR, resetDuration: '1w' },
    ],
  }),
  config('demo-vk-team-a', {
    modelName: '*',
    scope: 'virtual_key',
    scopeId: 'vk-team-a',
    scopeName: 'Team A',
    budgets: [
      { id: 'demo-vk-team-a-daily', maxLimit: 20n * NANOS_PER_DOLLAR, resetDuration: '1d' },
    ],
    rateLimit: {
      id: 'demo-vk-team-a-rl',
      tokenMaxLimit: null,
      tokenResetDuration: null,
      requestMaxLimit: 600,
      requestResetDuration: '1m',
    },
  }),
];

const MODELS = [
  { provider: 'openai', model: 'gpt-4o' },
  { provider: 'openai', model: 'gpt-4o-mini' },
  { provider: 'anthropic', model: 'claude-sonnet-4-5' },
];

/** A plausible model call: a few hundred tokens, a fraction of a cent to a few cents. */
export function demoUsage(now: Date, i: number): UsageRecord {
  const { provider, model } = MODELS[i % MODELS.length];
  const input = 200 + (i % 7) * 50;
  const output = 50 + (i % 5) * 40;
  return {
    requestId: `demo-${randomUUID()}`,
    provider,
    model,
    virtualKeyId: i % 2 === 0 ? 'vk-team-a' : null,
    userId: null,
    success: i % 20 !== 0,
    inputTokens: input,
    outputTokens: output,
    totalTokens: input + output,
    cost: BigInt(input * 2_500 + output * 10_000),
    streaming: false,
    finalChunk: true,
    time: now,
  };
}
