import { parseFromMemory, parseListParams } from './list-query-params';

describe('parseListParams', () => {
  it('applies the defaults', () => {
    expect(parseListParams({})).toEqual({
      limit: 25,
      offset: 0,
      search: null,
      scope: null,
      scopeId: null,
      provider: null,
      fromMemory: false,
    });
  });

  it('reads every parameter and ignores unknown ones', () => {
    const params = parseListParams({
      limit: '10',
      offset: '20',
      search: 'GPT%',
      scope: 'virtual_key',
      scope_id: 'vk-1',
      provider: 'openai',
      from_memory: 'true',
      colour: 'blue',
    });
    expect(params).toEqual({
      limit: 10,
      offset: 20,
      search: 'GPT%',
      scope: 'virtual_key',
      scopeId: 'vk-1',
      provider: 'openai',
      fromMemory: true,
    });
  });

  it('serves a limit above 100 as 100', () => {
    expect(parseListParams({ limit: '500' }).limit).toBe(100);
  });

  it('treats empty values as absent and uses the first of repeated values', () => {
    expect(parseListParams({ limit: '', scope: '', from_memory: '' })).toMatchObject({
      limit: 25,
      scope: null,
      fromMemory: false,
    });
    expect(parseListParams({ limit: ['5', 'x'] }).limit).toBe(5);
  });

  it.each([
    [{ limit: 'abc' }, 'Invalid limit parameter: must be a number'],
    [{ limit: '1.5' }, 'Invalid limit parameter: must be a number'],
    [{ limit: '0' }, 'Invalid limit parameter: must be at least 1'],
    [{ limit: '-1' }, 'Invalid limit parameter: must be at least 1'],
    [{ offset: 'x' }, 'Invalid offset parameter: must be a number'],
    [{ offset: '-1' }, 'Invalid offset parameter: must be non-negative'],
    [{ scope: 'team' }, 'Invalid scope parameter: must be one of global, virtual_key, user'],
    [{ from_memory: 'TRUE' }, 'Invalid from_memory parameter: must be true or false'],
    [{ from_memory: '1' }, 'Invalid from_memory parameter: must be true or false'],
    [{ provider: { nested: 'x' } }, 'Invalid provider parameter: must be a single value'],
  ])('rejects %j with "%s"', (query, message) => {
    expect(() => parseListParams(query)).toThrow(message);
  });

  it('validates from_memory alone for single-config reads', () => {
    expect(parseFromMemory({ from_memory: 'false' })).toBe(false);
    expect(() => parseFromMemory({ from_memory: 'yes' })).toThrow(/from_memory/);
  });

  it('refuses a filter with NUL, which no stored text can match, naming the parameter', () => {
    for (const name of ['search', 'provider', 'scope_id']) {
      expect(() => parseListParams({ [name]: 'a\u0000b' })).toThrow(
        `Invalid ${name} parameter: must not contain NUL (U+0000) characters`,
      );
    }
  });
});
