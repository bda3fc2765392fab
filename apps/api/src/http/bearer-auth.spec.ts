import { authenticate, digestOf } from './bearer-auth';

describe('authenticate', () => {
  const keys = ['old-key', 'new-key'].map(digestOf);

  it('accepts any configured key as a bearer token (rotation)', () => {
    expect(authenticate('Bearer old-key', undefined, keys)).toEqual({ ok: true });
    expect(authenticate('bearer new-key', undefined, keys)).toEqual({ ok: true });
  });

  it('refuses a missing or wrong key with "Unauthorized"', () => {
    expect(authenticate(undefined, undefined, keys)).toEqual({
      ok: false,
      message: 'Unauthorized',
    });
    expect(authenticate('Bearer nope', undefined, keys)).toEqual({
      ok: false,
      message: 'Unauthorized',
    });
    expect(authenticate('Bearer old-key', undefined, [])).toEqual({
      ok: false,
      message: 'Unauthorized',
    });
  });

  it('tells x-api-key and Basic callers to use a bearer token', () => {
    const apiKey = authenticate(undefined, 'new-key', keys);
    const basic = authenticate(`Basic ${Buffer.from('a:b').toString('base64')}`, undefined, keys);
    for (const outcome of [apiKey, basic]) {
      expect(outcome.ok).toBe(false);
      expect(!outcome.ok && outcome.message).toMatch(/Authorization: Bearer <API key>/);
    }
  });

  it('refuses malformed bearer headers', () => {
    expect(authenticate('Bearer', undefined, keys).ok).toBe(false);
    expect(authenticate('Bearer a b', undefined, keys).ok).toBe(false);
    expect(authenticate('Token new-key', undefined, keys).ok).toBe(false);
  });

  it('remembers a key that matched only for the key list it matched in', () => {
    const listA = [digestOf('key-a')];
    const listB = [digestOf('key-b')];
    expect(authenticate('Bearer key-a', undefined, listA)).toEqual({ ok: true });
    expect(authenticate('Bearer key-a', undefined, listA)).toEqual({ ok: true });
    expect(authenticate('Bearer key-a', undefined, listB).ok).toBe(false);
    expect(authenticate('Bearer key-b', undefined, listA).ok).toBe(false);
  });

  it('keeps accepting every key when more keys matched than it remembers', () => {
    const many = Array.from({ length: 100 }, (_, i) => `key-${i}`);
    const list = many.map(digestOf);
    for (const round of [1, 2]) {
      for (const key of many)
        expect([round, authenticate(`Bearer ${key}`, undefined, list)]).toEqual([
          round,
          { ok: true },
        ]);
    }
    expect(authenticate('Bearer key-100', undefined, list).ok).toBe(false);
  });
});
