import { aUsage } from '../testing/builders';
import { identityKey, matchingIdentityKeys } from './matching-identities';

describe('identityKey', () => {
  it('gives the same key for the same identity', () => {
    expect(identityKey('user', 'u-1', 'gpt-4o', 'openai')).toBe(
      identityKey('user', 'u-1', 'gpt-4o', 'openai'),
    );
  });

  it('tells a null provider from the string "null"', () => {
    expect(identityKey('global', null, 'gpt-4o', null)).not.toBe(
      identityKey('global', null, 'gpt-4o', 'null'),
    );
  });

  it('cannot be fooled by separators inside the parts', () => {
    expect(identityKey('user', 'a:b', 'c', null)).not.toBe(identityKey('user', 'a', 'b:c', null));
    expect(identityKey('user', 'a","b', 'c', null)).not.toBe(
      identityKey('user', 'a', 'b","c', null),
    );
  });

  it('tells scopes apart for the same scope id', () => {
    expect(identityKey('user', 'x', 'm', null)).not.toBe(
      identityKey('virtual_key', 'x', 'm', null),
    );
  });
});

describe('matchingIdentityKeys', () => {
  const tiers = (scope: 'global' | 'user' | 'virtual_key', scopeId: string | null): string[] => [
    identityKey(scope, scopeId, 'gpt-4o', 'openai'),
    identityKey(scope, scopeId, 'gpt-4o', null),
    identityKey(scope, scopeId, '*', 'openai'),
    identityKey(scope, scopeId, '*', null),
  ];

  it('matches only the four global tiers without a user or virtual key', () => {
    expect(matchingIdentityKeys(aUsage())).toEqual(tiers('global', null));
  });

  it('adds the four virtual key tiers after the global ones', () => {
    expect(matchingIdentityKeys(aUsage({ virtualKeyId: 'vk-1' }))).toEqual([
      ...tiers('global', null),
      ...tiers('virtual_key', 'vk-1'),
    ]);
  });

  it('adds the user tiers and skips the virtual key when both are present', () => {
    expect(matchingIdentityKeys(aUsage({ virtualKeyId: 'vk-1', userId: 'u-1' }))).toEqual([
      ...tiers('global', null),
      ...tiers('user', 'u-1'),
    ]);
  });

  it('treats empty user and virtual key ids as absent', () => {
    expect(matchingIdentityKeys(aUsage({ userId: '', virtualKeyId: 'vk-1' }))).toEqual([
      ...tiers('global', null),
      ...tiers('virtual_key', 'vk-1'),
    ]);
    expect(matchingIdentityKeys(aUsage({ userId: null, virtualKeyId: '' }))).toEqual(
      tiers('global', null),
    );
  });

  it('dedupes the tiers when the model itself is "*"', () => {
    expect(matchingIdentityKeys(aUsage({ model: '*' }))).toEqual([
      identityKey('global', null, '*', 'openai'),
      identityKey('global', null, '*', null),
    ]);
  });

  it('only matches all-provider tiers when the provider is empty', () => {
    expect(matchingIdentityKeys(aUsage({ provider: '' }))).toEqual([
      identityKey('global', null, 'gpt-4o', null),
      identityKey('global', null, '*', null),
    ]);
  });

  it('returns no duplicate keys', () => {
    const keys = matchingIdentityKeys(aUsage({ model: '*', provider: '', userId: 'u-1' }));
    expect(keys).toEqual([
      identityKey('global', null, '*', null),
      identityKey('user', 'u-1', '*', null),
    ]);
  });
});
