import { ApiError } from '../../http/api-error';
import { readAdmissionBody } from './admission-body';

const base = { request_id: 'req-1', provider: 'openai', model: 'gpt-4o' };
const read = (body: unknown) => readAdmissionBody(body, 60_000);
function rejection(body: unknown): string {
  try {
    read(body);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'bad_request') return error.message;
    throw error;
  }
  throw new Error('accepted');
}

describe('readAdmissionBody', () => {
  it('reads every field, dollars exactly, hold_for as a duration', () => {
    expect(
      read({
        ...base,
        virtual_key_id: 'vk-1',
        user_id: 'alice',
        estimated_cost: '0.000000001',
        estimated_tokens: 1200,
        hold_for: '1m30s',
      }),
    ).toEqual({
      requestId: 'req-1',
      provider: 'openai',
      model: 'gpt-4o',
      virtualKeyId: 'vk-1',
      userId: 'alice',
      estimatedCost: 1n,
      estimatedTokens: 1200,
      holdMs: 90_000,
    });
  });

  it('defaults: no estimates, the configured hold, empty scope ids as not set', () => {
    expect(read({ ...base, user_id: '', estimated_cost: 0.25 })).toMatchObject({
      userId: null,
      estimatedCost: 250_000_000n,
      estimatedTokens: 0,
      holdMs: 60_000,
    });
  });

  it.each([
    [[], 'Invalid JSON: the body must be a JSON object'],
    [{ ...base, request_id: undefined }, 'request_id is required'],
    [{ ...base, model: '' }, 'Invalid model: must not be empty'],
    [{ ...base, provider: 7 }, 'Invalid provider: must be a string'],
    [
      { ...base, request_id: 'x'.repeat(256) },
      'Invalid request_id: must be at most 255 characters',
    ],
    [{ ...base, user_id: 'a\u0000b' }, 'Invalid user_id: must not contain NUL'],
    [{ ...base, estimated_cost: -1 }, 'Invalid estimated_cost: must be a non-negative USD amount'],
    [{ ...base, estimated_cost: 'NaN' }, 'Invalid estimated_cost: must be a non-negative USD'],
    [{ ...base, estimated_cost: '1e400' }, 'Invalid estimated_cost: must be a non-negative USD'],
    [{ ...base, estimated_cost: '2000000' }, 'Invalid estimated_cost: must be at most 1000000'],
    [{ ...base, estimated_cost: '1'.repeat(100) }, 'Invalid estimated_cost: must be a non-neg'],
    [{ ...base, estimated_tokens: -5 }, 'Invalid estimated_tokens: must be a non-negative integer'],
    [
      { ...base, estimated_tokens: 1.5 },
      'Invalid estimated_tokens: must be a non-negative integer',
    ],
    [{ ...base, estimated_tokens: 1e300 }, 'Invalid estimated_tokens: must be a non-negative'],
    [{ ...base, estimated_tokens: 2e12 }, 'Invalid estimated_tokens: must be at most'],
    [{ ...base, hold_for: '0s' }, 'Invalid hold_for: must be a positive duration'],
    [{ ...base, hold_for: '-5s' }, 'Invalid hold_for: must be a positive duration'],
    [{ ...base, hold_for: '25h' }, 'Invalid hold_for: must be a positive duration'],
    [{ ...base, hold_for: 'soon' }, 'Invalid hold_for: must be a positive duration'],
    [{ ...base, hold_for: 30 }, 'Invalid hold_for: must be a positive duration'],
  ])('refuses %j', (body, message) => {
    expect(rejection(body)).toContain(message);
  });
});
