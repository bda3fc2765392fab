import { UsageRecord } from '@app/governance';
import { USAGE_RECORDED_V1 } from '../events/event-types';
import { RawRecord } from '../events/kafka-record';
import { aBinaryRecord, anEnvelope, aStructuredRecord, NOW, Overrides } from './raw-record.builder';

export function aUsageData(overrides: Overrides = {}): Overrides {
  return {
    request_id: 'req-1',
    provider: 'openai',
    model: 'gpt-4o',
    virtual_key_id: 'vk-1',
    user_id: null,
    success: true,
    input_tokens: 100,
    output_tokens: 50,
    cost: '0.25',
    ...overrides,
  };
}

export function aStructuredUsageRecord(data: Overrides = {}, envelope: Overrides = {}): RawRecord {
  return aStructuredRecord(anEnvelope(USAGE_RECORDED_V1, aUsageData(data), envelope));
}

export function aBinaryUsageRecord(data: Overrides = {}, envelope: Overrides = {}): RawRecord {
  return aBinaryRecord(anEnvelope(USAGE_RECORDED_V1, aUsageData(data), envelope));
}

export function aUsageRecord(overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    requestId: 'req-1',
    provider: 'openai',
    model: 'gpt-4o',
    virtualKeyId: 'vk-1',
    userId: null,
    success: true,
    inputTokens: 100,
    outputTokens: 50,
    totalTokens: 150,
    cost: 250_000_000n,
    streaming: false,
    finalChunk: true,
    time: NOW,
    ...overrides,
  };
}
