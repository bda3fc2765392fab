import { ModelConfigDefinition } from '@app/governance';
import { RawRecord } from '../events/kafka-record';
import {
  aModelConfig,
  aModelConfigData,
  aStructuredConfigDeletedRecord,
  aStructuredModelConfigRecord,
} from '../testing/model-config-event.builder';
import { DECODE_OPTIONS } from '../testing/raw-record.builder';
import { rejectionOf } from '../testing/rejection-of';
import { decodeRecord } from './decode-record';

function configOf(record: RawRecord): ModelConfigDefinition {
  const event = decodeRecord(record, DECODE_OPTIONS);
  if (event.type !== 'governance.model_config.upserted.v1')
    throw new Error(`decoded ${event.type}`);
  return event.config;
}

describe('decodeRecord: governance.model_config.upserted.v1 data', () => {
  it('maps the snake_case wire config onto ModelConfigDefinition', () => {
    expect(configOf(aStructuredModelConfigRecord())).toEqual(aModelConfig());
  });

  it('applies the defaults for provider, scope_name, calendar_aligned, budgets and rate_limit', () => {
    const record = aStructuredModelConfigRecord({
      model_name: '*',
      provider: undefined,
      scope: 'global',
      scope_id: undefined,
      scope_name: undefined,
      calendar_aligned: undefined,
      budgets: undefined,
      rate_limit: undefined,
    });

    expect(configOf(record)).toEqual(
      aModelConfig({
        modelName: '*',
        provider: null,
        scope: 'global',
        scopeId: null,
        scopeName: null,
        calendarAligned: false,
        budgets: [],
        rateLimit: null,
      }),
    );
  });

  it('forces scope_id to null for a global config', () => {
    expect(
      configOf(aStructuredModelConfigRecord({ scope: 'global', scope_id: 'vk-1' })).scopeId,
    ).toBeNull();
  });

  it('reads a budget max_limit sent as a JSON number', () => {
    const record = aStructuredModelConfigRecord({
      budgets: [{ id: 'b-1', max_limit: 10.5, reset_duration: '1d' }],
    });

    expect(configOf(record).budgets[0].maxLimit).toBe(10_500_000_000n);
  });

  it('reads a rate limit with only a request dimension', () => {
    const record = aStructuredModelConfigRecord({
      rate_limit: {
        id: 'rl-1',
        token_max_limit: null,
        request_max_limit: 15,
        request_reset_duration: '1m',
      },
    });

    expect(configOf(record).rateLimit).toEqual({
      id: 'rl-1',
      tokenMaxLimit: null,
      tokenResetDuration: null,
      requestMaxLimit: 15,
      requestResetDuration: '1m',
    });
  });

  it.each([['id'], ['model_name'], ['scope'], ['created_at'], ['updated_at']])(
    'rejects a missing %s as missing_field',
    (field) => {
      expect(rejectionOf(aStructuredModelConfigRecord({ [field]: undefined }))).toMatchObject({
        code: 'missing_field',
        message: `data.${field} is required`,
      });
    },
  );

  it.each([
    ['provider', 5],
    ['calendar_aligned', 'no'],
    ['budgets', {}],
    ['rate_limit', []],
    ['created_at', 'yesterday'],
    ['scope_name', 3],
  ])('rejects %s = %j as invalid_field', (field, value) => {
    expect(rejectionOf(aStructuredModelConfigRecord({ [field]: value }))).toMatchObject({
      code: 'invalid_field',
      message: expect.stringContaining(`data.${field} must be`),
    });
  });

  it('names the budget index and field in a budget error', () => {
    const record = aStructuredModelConfigRecord({
      budgets: [
        { id: 'b-1', max_limit: '1', reset_duration: '1d' },
        { id: 'b-2', max_limit: 'ten', reset_duration: '1h' },
      ],
    });

    expect(rejectionOf(record)).toMatchObject({
      code: 'invalid_field',
      message: expect.stringContaining(
        'data.budgets[1].max_limit must be a non-negative USD amount',
      ),
    });
  });

  it('rejects a budget without max_limit as missing_field', () => {
    const record = aStructuredModelConfigRecord({ budgets: [{ id: 'b-1', reset_duration: '1d' }] });

    expect(rejectionOf(record)).toMatchObject({
      code: 'missing_field',
      message: 'data.budgets[0].max_limit is required',
    });
  });

  it('rejects a fractional rate-limit maximum as invalid_field', () => {
    const record = aStructuredModelConfigRecord({
      rate_limit: { ...(aModelConfigData().rate_limit as object), token_max_limit: 1.5 },
    });

    expect(rejectionOf(record)).toMatchObject({
      code: 'invalid_field',
      message: 'data.rate_limit.token_max_limit must be an integer or null, got 1.5',
    });
  });

  it('rejects a config id longer than 1024 characters as oversized', () => {
    expect(rejectionOf(aStructuredModelConfigRecord({ id: 'c'.repeat(1025) })).code).toBe(
      'oversized',
    );
  });

  it('rejects an unknown scope as invalid_config with the API’s wording', () => {
    expect(rejectionOf(aStructuredModelConfigRecord({ scope: 'team' }))).toMatchObject({
      code: 'invalid_config',
      message: 'Invalid scope "team"',
    });
  });

  it.each([
    ['model_name', 'Model name is required'],
    ['provider', 'provider cannot be an empty string'],
  ])('rejects an empty %s as invalid_config with governance’s message', (field, message) => {
    expect(rejectionOf(aStructuredModelConfigRecord({ [field]: '' }))).toMatchObject({
      code: 'invalid_config',
      message,
    });
  });

  it('rejects a non-global config without scope_id as invalid_config with governance’s message', () => {
    expect(rejectionOf(aStructuredModelConfigRecord({ scope_id: null }))).toMatchObject({
      code: 'invalid_config',
      message: 'scope_id is required when scope is not global',
    });
  });

  it('rejects an unparsable budget duration as invalid_config with governance’s message', () => {
    const record = aStructuredModelConfigRecord({
      budgets: [{ id: 'b-1', max_limit: '1', reset_duration: '5x' }],
    });

    expect(rejectionOf(record)).toMatchObject({
      code: 'invalid_config',
      message: 'Invalid reset duration (must be a positive duration): 5x',
    });
  });
});

describe('decodeRecord: governance.model_config.deleted.v1 data', () => {
  it('reads the deleted config id', () => {
    expect(
      decodeRecord(aStructuredConfigDeletedRecord({ id: 'mc-9' }), DECODE_OPTIONS),
    ).toMatchObject({
      type: 'governance.model_config.deleted.v1',
      configId: 'mc-9',
    });
  });

  it('rejects a deletion without id as missing_field', () => {
    expect(rejectionOf(aStructuredConfigDeletedRecord({ id: undefined }))).toMatchObject({
      code: 'missing_field',
      message: 'data.id is required',
    });
  });

  it('rejects an empty id as invalid_field', () => {
    expect(rejectionOf(aStructuredConfigDeletedRecord({ id: '' })).code).toBe('invalid_field');
  });
});
