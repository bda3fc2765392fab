import { ModelConfigDefinition } from '@app/governance';
import { MODEL_CONFIG_DELETED_V1, MODEL_CONFIG_UPSERTED_V1 } from '../events/event-types';
import { RawRecord } from '../events/kafka-record';
import { anEnvelope, aStructuredRecord, Overrides } from './raw-record.builder';

export function aModelConfigData(overrides: Overrides = {}): Overrides {
  return {
    id: 'mc-1',
    model_name: 'gpt-4o',
    provider: 'openai',
    scope: 'virtual_key',
    scope_id: 'vk-1',
    scope_name: 'Team A key',
    calendar_aligned: false,
    budgets: [{ id: 'b-1', max_limit: '10.5', reset_duration: '1d' }],
    rate_limit: {
      id: 'rl-1',
      token_max_limit: 1000,
      token_reset_duration: '1m',
      request_max_limit: 15,
      request_reset_duration: '1m',
    },
    created_at: '2026-11-01T00:00:00Z',
    updated_at: '2026-11-20T08:30:00Z',
    ...overrides,
  };
}

export function aStructuredModelConfigRecord(
  data: Overrides = {},
  envelope: Overrides = {},
): RawRecord {
  return aStructuredRecord(anEnvelope(MODEL_CONFIG_UPSERTED_V1, aModelConfigData(data), envelope));
}

export function aStructuredConfigDeletedRecord(
  data: Overrides = {},
  envelope: Overrides = {},
): RawRecord {
  return aStructuredRecord(anEnvelope(MODEL_CONFIG_DELETED_V1, { id: 'mc-1', ...data }, envelope));
}

export function aModelConfig(
  overrides: Partial<ModelConfigDefinition> = {},
): ModelConfigDefinition {
  return {
    id: 'mc-1',
    modelName: 'gpt-4o',
    provider: 'openai',
    scope: 'virtual_key',
    scopeId: 'vk-1',
    scopeName: 'Team A key',
    calendarAligned: false,
    budgets: [{ id: 'b-1', maxLimit: 10_500_000_000n, resetDuration: '1d' }],
    rateLimit: {
      id: 'rl-1',
      tokenMaxLimit: 1000,
      tokenResetDuration: '1m',
      requestMaxLimit: 15,
      requestResetDuration: '1m',
    },
    createdAt: new Date('2026-11-01T00:00:00Z'),
    updatedAt: new Date('2026-11-20T08:30:00Z'),
    ...overrides,
  };
}
