import { ConfigListFilter, ConfigListingRow } from './config-list-query';
import { selectPage } from './select-page';

const row = (overrides: Partial<ConfigListingRow>): ConfigListingRow => ({
  id: 'id',
  createdAtMs: 0,
  scope: 'global',
  scopeId: null,
  provider: 'openai',
  modelName: 'gpt-4o',
  ...overrides,
});
const noFilter: ConfigListFilter = { search: null, scope: null, scopeId: null, provider: null };

describe('selectPage', () => {
  const rows = [
    row({ id: 'a', createdAtMs: 1, modelName: 'GPT-4o' }),
    row({ id: 'b', createdAtMs: 3, modelName: 'claude', provider: 'anthropic' }),
    row({ id: 'c', createdAtMs: 2, modelName: 'gpt_4', provider: null }),
    row({ id: 'd', createdAtMs: 2, modelName: '50%-off', scope: 'virtual_key', scopeId: 'vk1' }),
    row({ id: 'e', createdAtMs: 0, modelName: 'back\\slash', scope: 'user', scopeId: 'u1' }),
  ];

  it('orders by created_at descending, then id descending', () => {
    expect(selectPage(rows, noFilter, 10, 0)).toEqual({ ids: ['b', 'd', 'c', 'a', 'e'], total: 5 });
  });

  it('pages with offset and limit, keeping the true total past the end', () => {
    expect(selectPage(rows, noFilter, 2, 1)).toEqual({ ids: ['d', 'c'], total: 5 });
    expect(selectPage(rows, noFilter, 2, 5)).toEqual({ ids: [], total: 5 });
    expect(selectPage(rows, noFilter, 2, 99)).toEqual({ ids: [], total: 5 });
  });

  it('searches model names case-insensitively, taking %, _ and \\ literally', () => {
    const search = (s: string) => selectPage(rows, { ...noFilter, search: s }, 10, 0).ids;
    expect(search('gpt')).toEqual(['c', 'a']);
    expect(search('_')).toEqual(['c']);
    expect(search('%')).toEqual(['d']);
    expect(search('\\')).toEqual(['e']);
    expect(search('gpt%')).toEqual([]);
  });

  it('filters scope, scope_id and provider exactly; null never matches', () => {
    const only = (f: Partial<ConfigListFilter>) =>
      selectPage(rows, { ...noFilter, ...f }, 10, 0).ids;
    expect(only({ scope: 'virtual_key' })).toEqual(['d']);
    expect(only({ scopeId: 'u1' })).toEqual(['e']);
    expect(only({ provider: 'openai' })).toEqual(['d', 'a', 'e']);
    expect(only({ provider: 'OpenAI' })).toEqual([]);
    expect(only({ scope: 'global', provider: 'openai', search: 'GPT' })).toEqual(['a']);
  });
});
