import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { API_KEY } from './api-harness';

/** One request of the bad-input corpus and the answer it must get. */
export interface BadRequestCase {
  /** what is attacked: a parameter, a header, the body, the path */
  kind: string;
  name: string;
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body?: string | Buffer;
  /** the statuses a correct API may answer: a 4xx, or 200 where the request is valid after all */
  expect: number[];
  /** a 200 here creates a config that must then be stored exactly as sent */
  creates?: string;
}

export const LIST = '/api/governance/model-configs';
const AUTH = { authorization: `Bearer ${API_KEY}` };
const JSON_AUTH = { ...AUTH, 'content-type': 'application/json' };
const KB10 = 'x'.repeat(10_240);
const NUMBERS_9 = '9'.repeat(10_240);

const get = (kind: string, name: string, path: string, expect: number[]): BadRequestCase => ({
  kind,
  name,
  method: 'GET',
  path,
  headers: AUTH,
  expect,
});

/** Query parameters of the list, on both read paths. */
function listParameterCases(): BadRequestCase[] {
  const integer: [string, string, number[], number[]][] = [
    // value, name, status for limit, status for offset
    ['abc', 'non-numeric', [400], [400]],
    ['-1', 'negative', [400], [400]],
    ['0', 'zero', [400], [200]],
    ['-0', 'negative zero', [400], [200]],
    ['1.5', 'fractional', [400], [400]],
    ['1e3', 'exponent', [400], [400]],
    ['0x10', 'hexadecimal', [400], [400]],
    ['99999999999999999999999', 'huge', [200], [200]],
    [NUMBERS_9, '10 KB of digits', [200], [200]],
    ['NaN', 'NaN', [400], [400]],
    ['Infinity', 'Infinity', [400], [400]],
    ['%2B5', 'explicit plus', [200], [200]],
    ['+5', 'plus (a space in a query)', [400], [400]],
    ['%205', 'leading space', [400], [400]],
    ['5%20', 'trailing space', [400], [400]],
    ['%EF%BC%95', 'full-width digit', [400], [400]],
    ['%00', 'NUL', [400], [400]],
    ['5%00', 'digit and NUL', [400], [400]],
    ['%zz', 'invalid percent-encoding', [400], [400]],
    ['', 'empty (absent)', [200], [200]],
  ];
  const strings: [string, string][] = [
    ['%25', 'LIKE %'],
    ['_', 'LIKE _'],
    ['%5C', 'backslash'],
    ["'%20OR%20'1'%3D'1", 'SQL quote'],
    ['%27%3B%20DROP%20TABLE%20model_configs%3B--', 'SQL injection'],
    ['%F0%9F%98%80', 'emoji'],
    ['%E6%A8%A1%E5%9E%8B', 'CJK'],
    ['%01%1F%7F', 'control characters'],
    ['%ED%A0%BD', 'UTF-8 of a lone surrogate'],
    ['%C0%AF', 'overlong UTF-8'],
    ['%ff', 'invalid UTF-8'],
    ['%zz', 'invalid percent-encoding'],
    ['%', 'lone percent'],
    [KB10, '10 KB'],
    ['*', 'asterisk'],
  ];
  const cases: BadRequestCase[] = [];
  for (const memory of ['', '&from_memory=true']) {
    const on = memory ? ' (Redis)' : ' (PostgreSQL)';
    for (const [value, name, limit, offset] of integer) {
      cases.push(get('limit', name + on, `${LIST}?limit=${value}${memory}`, limit));
      cases.push(get('offset', name + on, `${LIST}?offset=${value}${memory}`, offset));
    }
    for (const param of ['search', 'provider', 'scope_id']) {
      for (const [value, name] of strings) {
        cases.push(get(param, name + on, `${LIST}?${param}=${value}${memory}`, [200]));
      }
      cases.push(get(param, `NUL${on}`, `${LIST}?${param}=a%00b${memory}`, [400]));
    }
    for (const [value, expect] of [
      ['GLOBAL', [400]],
      ['x', [400]],
      ['%00', [400]],
      [KB10, [400]],
      ['global', [200]],
      ['virtual_key', [200]],
    ] as const) {
      cases.push(
        get('scope', `${value.slice(0, 12)}${on}`, `${LIST}?scope=${value}${memory}`, [...expect]),
      );
    }
    cases.push(
      get('repeated', `limit=5&limit=abc${on}`, `${LIST}?limit=5&limit=abc${memory}`, [200]),
    );
    cases.push(
      get('repeated', `limit=abc&limit=5${on}`, `${LIST}?limit=abc&limit=5${memory}`, [400]),
    );
    cases.push(get('repeated', `search twice${on}`, `${LIST}?search=a&search=b${memory}`, [200]));
    cases.push(get('repeated', `scope twice${on}`, `${LIST}?scope=x&scope=global${memory}`, [400]));
    cases.push(get('unknown', `unknown parameter${on}`, `${LIST}?nope=1${memory}`, [200]));
    cases.push(get('unknown', `bracket key${on}`, `${LIST}?limit[a]=1${memory}`, [200]));
    cases.push(get('unknown', `NUL key${on}`, `${LIST}?%00=1${memory}`, [200]));
  }
  for (const value of ['TRUE', '1', 'yes', '%00', KB10]) {
    cases.push(get('from_memory', value.slice(0, 12), `${LIST}?from_memory=${value}`, [400]));
  }
  cases.push(
    get('from_memory', 'true then false', `${LIST}?from_memory=true&from_memory=false`, [200]),
  );
  // Node refuses a request target over its 16 KB header limit before Express sees it.
  cases.push(get('query', '100 KB query string', `${LIST}?search=${'y'.repeat(100_000)}`, [431]));
  return cases;
}

/** The `:id` of GET, PUT and DELETE. */
function pathIdCases(): BadRequestCase[] {
  const ids: [string, string, number[]][] = [
    ['%00', 'NUL', [400]],
    ['a%00b', 'embedded NUL', [400]],
    ['%zz', 'invalid percent-encoding', [400]],
    ['%', 'lone percent', [400]],
    ['%C0%AF', 'overlong UTF-8', [400]],
    ['%ff', 'invalid UTF-8', [400]],
    ['%ED%A0%BD', 'UTF-8 of a lone surrogate', [400]],
    ['x'.repeat(256), '256 characters', [400]],
    [KB10, '10 KB', [400]],
    ['x'.repeat(20_000), '20 KB (over Node’s header limit)', [431]],
    ['%01%1F', 'control characters', [404]],
    ['%7F', 'DEL', [404]],
    ['%27%20OR%20%271%27%3D%271', 'SQL', [404]],
    ['%25', 'percent', [404]],
    ['*', 'asterisk', [404]],
    ['%F0%9F%98%80', 'emoji', [404]],
    ['..', 'dot-dot', [404]],
    ['%2e%2e', 'encoded dot-dot', [404]],
    ['a%2Fb', 'encoded slash', [404]],
    ['does-not-exist', 'unknown id', [404]],
  ];
  const update = JSON.stringify({ budgets: [{ max_limit: 5, reset_duration: '1d' }] });
  const cases: BadRequestCase[] = [];
  for (const [id, name, expect] of ids) {
    const path = `${LIST}/${id}`;
    cases.push(get('path id', `GET ${name}`, path, expect));
    cases.push(get('path id', `GET ${name} (Redis)`, `${path}?from_memory=true`, expect));
    cases.push({
      kind: 'path id',
      name: `PUT ${name}`,
      method: 'PUT',
      path,
      headers: JSON_AUTH,
      body: update,
      expect,
    });
    cases.push(get('path id', `GET usage of ${name}`, `${path}/usage`, expect));
    cases.push({
      kind: 'path id',
      name: `DELETE ${name}`,
      method: 'DELETE',
      path,
      headers: AUTH,
      expect,
    });
  }
  return cases;
}

/** `from` and `to` of a config's usage history. */
function usageRangeCases(seedId: string): BadRequestCase[] {
  const usage = `${LIST}/${seedId}/usage`;
  const values: [string, string, number[]][] = [
    ['not a time', 'abc', [400]],
    ['NUL', '%00', [400]],
    ['date only', '2026-01-01', [400]],
    ['month 13', '2026-13-01T00:00:00Z', [400]],
    ['February 30', '2026-02-30T00:00:00Z', [400]],
    ['no time zone', '2026-01-01T00:00:00', [400]],
    ['year 0001', '0001-01-01T00:00:00Z', [400]],
    ['year 9999', '9999-12-31T23:59:59Z', [400]],
    ['10 KB', KB10, [400]],
    ['epoch number', '1767225600000', [400]],
    ['invalid percent-encoding', '%zz', [400]],
  ];
  const cases: BadRequestCase[] = [];
  for (const [name, value, expect] of values) {
    cases.push(get('usage range', `from ${name}`, `${usage}?from=${value}`, expect));
    // Alone, a far `to` is a valid 30-day range that holds no usage.
    const farTo = name.startsWith('year');
    cases.push(get('usage range', `to ${name}`, `${usage}?to=${value}`, farTo ? [200] : expect));
  }
  const day = (d: string) => `2026-01-${d}T00:00:00Z`;
  cases.push(get('usage range', 'reversed', `${usage}?from=${day('10')}&to=${day('01')}`, [400]));
  cases.push(
    get('usage range', 'ten years', `${usage}?from=2016-01-01T00:00:00Z&to=${day('01')}`, [400]),
  );
  cases.push(get('usage range', 'one day', `${usage}?from=${day('01')}&to=${day('02')}`, [200]));
  cases.push(
    get(
      'usage range',
      'repeated from',
      `${usage}?from=${day('01')}&from=abc&to=${day('02')}`,
      [200],
    ),
  );
  return cases;
}

function authCases(): BadRequestCase[] {
  const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
  const headers: [string, Record<string, string | string[]>, number][] = [
    ['none', {}, 401],
    ['empty Authorization', { authorization: '' }, 401],
    ['Bearer without token', { authorization: 'Bearer' }, 401],
    ['Bearer and a space', { authorization: 'Bearer ' }, 401],
    ['token without scheme', { authorization: API_KEY }, 401],
    ['Bearer with two tokens', { authorization: `Bearer ${API_KEY} x` }, 401],
    ['Bearer with a prefix of the key', { authorization: `Bearer ${API_KEY.slice(0, -1)}` }, 401],
    ['Bearer with the key and more', { authorization: `Bearer ${API_KEY}x` }, 401],
    [
      'Bearer with the key in upper case',
      { authorization: `Bearer ${API_KEY.toUpperCase()}` },
      401,
    ],
    ['Bearer with 10 KB', { authorization: `Bearer ${KB10}` }, 401],
    ['Bearer with Latin-1', { authorization: 'Bearer caf\u00e9' }, 401],
    ['x-api-key', { 'x-api-key': API_KEY }, 401],
    ['Basic with the key as password', { authorization: basic(`admin:${API_KEY}`) }, 401],
    ['Basic with the key as user', { authorization: basic(`${API_KEY}:`) }, 401],
    ['Basic without credentials', { authorization: 'Basic' }, 401],
    ['Digest', { authorization: `Digest username="${API_KEY}"` }, 401],
    ['Token scheme', { authorization: `Token ${API_KEY}` }, 401],
    [
      'wrong key first of two headers',
      { authorization: ['Bearer wrong', `Bearer ${API_KEY}`] },
      401,
    ],
    ['lower-case scheme', { authorization: `bearer ${API_KEY}` }, 200],
    ['extra spaces', { authorization: `Bearer   ${API_KEY}` }, 200],
    ['the previous key (rotation)', { authorization: 'Bearer test-key-old' }, 200],
  ];
  const cases: BadRequestCase[] = [];
  for (const [name, h, status] of headers) {
    cases.push({
      kind: 'auth',
      name: `GET ${name}`,
      method: 'GET',
      path: LIST,
      headers: h,
      expect: [status],
    });
    if (status === 401) {
      const body = JSON.stringify({ model_name: 'unauthorised', provider: 'x' });
      const json = { ...h, 'content-type': 'application/json' };
      cases.push({
        kind: 'auth',
        name: `POST ${name}`,
        method: 'POST',
        path: LIST,
        headers: json,
        body,
        expect: [401],
      });
    }
  }
  return cases;
}

const post = (
  kind: string,
  name: string,
  body: string | Buffer,
  expect: number[],
  headers: Record<string, string> = JSON_AUTH,
): BadRequestCase => ({ kind, name, method: 'POST', path: LIST, headers, body, expect });

const nested = (depth: number, leaf = '1') => '['.repeat(depth) + leaf + ']'.repeat(depth);

function bodySyntaxCases(): BadRequestCase[] {
  const cases: BadRequestCase[] = [
    post('invalid JSON', 'unterminated object', '{', [400]),
    post('invalid JSON', 'missing value', '{"model_name":}', [400]),
    post('invalid JSON', 'single quotes', "{'model_name':'x'}", [400]),
    post('invalid JSON', 'trailing comma', '{"model_name":"x",}', [400]),
    post('invalid JSON', 'trailing garbage', '{"model_name":"x"} x', [400]),
    post('invalid JSON', 'NaN literal', '{"model_name":NaN}', [400]),
    post('invalid JSON', 'comment', '{"model_name":"x" /* c */}', [400]),
    post('invalid JSON', 'invalid escape', '{"model_name":"\\x41"}', [400]),
    post('invalid JSON', 'raw control character in a string', '{"model_name":"a\u0001b"}', [400]),
    post('invalid JSON', 'raw NUL byte', '{"model_name":"a\u0000b"}', [400]),
    post('invalid JSON', 'binary garbage', Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x7b]), [400]),
    post(
      'invalid JSON',
      'invalid UTF-8 in a string',
      Buffer.concat([Buffer.from('{"model_name":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]),
      [400],
    ),
    post(
      'invalid JSON',
      'UTF-16LE with BOM',
      Buffer.from('\ufeff{"model_name":"x"}', 'utf16le'),
      [400],
    ),
    post('not an object', 'null', 'null', [400]),
    post('not an object', 'array', '[]', [400]),
    post('not an object', 'string', '"model_name"', [400]),
    post('not an object', 'number', '1', [400]),
    post('not an object', 'true', 'true', [400]),
    post('not an object', 'empty body', '', [400]),
    post('not an object', 'only whitespace', '   \n', [400]),
    post('nesting', '10,000 nested arrays', nested(10_000), [400]),
    post('nesting', '400,000 nested arrays', nested(400_000), [400]),
    post('nesting', 'nested model_name', `{"model_name":${nested(100_000, '"x"')}}`, [400]),
    post(
      'nesting',
      'nested budgets',
      `{"model_name":"n","budgets":${nested(100_000, '{}')}}`,
      [400],
    ),
    {
      // Valid after all: unknown fields are ignored, however deep.
      ...post(
        'nesting',
        'unknown field nested 50,000 deep in rate_limit',
        `{"model_name":"n","rate_limit":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`,
        [200],
      ),
      creates: 'n',
    },
    post('size', '2 MB body', JSON.stringify({ model_name: 'x'.repeat(2_000_000) }), [413]),
    post('size', '1 MB of whitespace', ' '.repeat(1_100_000) + '{}', [413]),
    post(
      'size',
      '10,000 keys',
      JSON.stringify(Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]))),
      [400],
    ),
  ];
  return cases;
}

/** Wrong types and out-of-range values for every body field of POST and PUT. */
function bodyFieldCases(seedId: string): BadRequestCase[] {
  const base = { model_name: 'typed', provider: 'openai' };
  const wrong: [string, Record<string, unknown>, number[]][] = [
    ['model_name number', { model_name: 1 }, [400]],
    ['model_name boolean', { model_name: true }, [400]],
    ['model_name object', { model_name: {} }, [400]],
    ['model_name array', { model_name: ['x'] }, [400]],
    ['model_name null', { model_name: null }, [400]],
    ['model_name empty', { model_name: '' }, [400]],
    ['model_name 10 KB', { model_name: KB10 }, [400]],
    ['provider number', { provider: 1 }, [400]],
    ['provider object', { provider: { a: 1 } }, [400]],
    ['provider 10 KB', { provider: KB10 }, [400]],
    ['scope number', { scope: 1 }, [400]],
    ['scope unknown', { scope: 'planet' }, [400]],
    ['scope upper case', { scope: 'GLOBAL' }, [400]],
    ['scope_id number', { scope: 'user', scope_id: 7 }, [400]],
    ['scope_id missing for user scope', { scope: 'user' }, [400]],
    ['scope_id 10 KB', { scope: 'user', scope_id: KB10 }, [400]],
    ['scope_name number', { scope_name: 1 }, [400]],
    ['calendar_aligned string', { calendar_aligned: 'true' }, [400]],
    ['calendar_aligned number', { calendar_aligned: 1 }, [400]],
    ['budgets object', { budgets: {} }, [400]],
    ['budgets string', { budgets: 'x' }, [400]],
    ['budgets of numbers', { budgets: [1] }, [400]],
    ['budget empty', { budgets: [{}] }, [400]],
    ['budget max_limit string', { budgets: [{ max_limit: '1', reset_duration: '1d' }] }, [400]],
    ['budget max_limit negative', { budgets: [{ max_limit: -1, reset_duration: '1d' }] }, [400]],
    ['budget max_limit null', { budgets: [{ max_limit: null, reset_duration: '1d' }] }, [400]],
    ['budget reset_duration number', { budgets: [{ max_limit: 1, reset_duration: 86400 }] }, [400]],
    ['budget reset_duration empty', { budgets: [{ max_limit: 1, reset_duration: '' }] }, [400]],
    [
      'budget reset_duration unknown unit',
      { budgets: [{ max_limit: 1, reset_duration: '1x' }] },
      [400],
    ],
    [
      'budget reset_duration negative',
      { budgets: [{ max_limit: 1, reset_duration: '-1h' }] },
      [400],
    ],
    ['budget reset_duration zero', { budgets: [{ max_limit: 1, reset_duration: '0s' }] }, [400]],
    ['budget id number', { budgets: [{ id: 1, max_limit: 1, reset_duration: '1d' }] }, [400]],
    ['budget id 10 KB', { budgets: [{ id: KB10, max_limit: 1, reset_duration: '1d' }] }, [400]],
    ['rate_limit string', { rate_limit: 'x' }, [400]],
    ['rate_limit array', { rate_limit: [] }, [400]],
    ['rate_limit number', { rate_limit: 1 }, [400]],
    ['rate_limits (plural)', { rate_limits: [] }, [400]],
    [
      'token_max_limit string',
      { rate_limit: { token_max_limit: '1', token_reset_duration: '1h' } },
      [400],
    ],
    [
      'token_max_limit negative',
      { rate_limit: { token_max_limit: -1, token_reset_duration: '1h' } },
      [400],
    ],
    [
      'token_max_limit fractional',
      { rate_limit: { token_max_limit: 1.5, token_reset_duration: '1h' } },
      [400],
    ],
    [
      'token_reset_duration number',
      { rate_limit: { token_max_limit: 1, token_reset_duration: 3600 } },
      [400],
    ],
    ['token_reset_duration missing', { rate_limit: { token_max_limit: 1 } }, [400]],
    [
      'request_max_limit boolean',
      { rate_limit: { request_max_limit: true, request_reset_duration: '1m' } },
      [400],
    ],
    [
      'request_reset_duration invalid',
      { rate_limit: { request_max_limit: 1, request_reset_duration: 'soon' } },
      [400],
    ],
  ];
  const cases: BadRequestCase[] = [];
  for (const [name, fields, expect] of wrong) {
    cases.push(post('body field', `POST ${name}`, JSON.stringify({ ...base, ...fields }), expect));
    if (name.startsWith('scope') || name.includes('model_name null') || name.includes('empty'))
      continue;
    cases.push({
      kind: 'body field',
      name: `PUT ${name}`,
      method: 'PUT',
      path: `${LIST}/${seedId}`,
      headers: JSON_AUTH,
      body: JSON.stringify(fields),
      expect,
    });
  }
  return cases;
}

/** Text the stored read models must keep exactly: valid requests, 200. */
function validTextCases(): BadRequestCase[] {
  const names = [
    ['Unicode', '模型-😀-é'],
    ['SQL', "x'); DROP TABLE model_configs;--"],
    ['LIKE metacharacters', 'pct%_under\\slash'],
    ['JSON escapes', 'tab\\tquote"'],
  ];
  return names
    .map(([name, modelName]) =>
      post(
        'valid text',
        name,
        JSON.stringify({ model_name: modelName, provider: 'corpus' }),
        [200],
      ),
    )
    .map((c, i) => ({ ...c, creates: names[i][1] }));
}

/**
 * What the API used to accept and the projector then rejected or choked on: NUL and lone
 * surrogates in text, unbounded durations, oversized events. One rule for both lives in
 * libs/governance (issue 7, defects 3-5). These run last: before that rule, some of them
 * stall the config projector for every later command.
 */
export function sharedRuleCases(seedId: string): BadRequestCase[] {
  const fields: [string, Record<string, unknown>][] = [
    ['model_name', { model_name: 'a\u0000b' }],
    ['provider', { provider: 'a\u0000b' }],
    ['scope_id', { scope: 'user', scope_id: 'u\u0000' }],
    ['scope_name', { scope: 'team', scope_id: 't', scope_name: 'n\u0000' }],
    ['budget id', { budgets: [{ id: 'b\u0000', max_limit: 1, reset_duration: '1d' }] }],
    ['reset_duration', { budgets: [{ max_limit: 1, reset_duration: '1d\u0000' }] }],
    ['lone surrogate in model_name', { model_name: 'fz-\ud83d' }],
    ['lone surrogate in scope_name', { scope: 'team', scope_id: 't', scope_name: '\udc00' }],
    ['scope_name 10 KB', { scope: 'team', scope_id: 't', scope_name: KB10 }],
    [
      'reset_duration of 400 nines',
      { budgets: [{ max_limit: 1, reset_duration: `${'9'.repeat(400)}h` }] },
    ],
    [
      'reset_duration 10 KB',
      { budgets: [{ max_limit: 1, reset_duration: `1${'0'.repeat(10_240)}s` }] },
    ],
    [
      '3,000 budgets',
      {
        budgets: Array.from({ length: 3000 }, (_, i) => ({
          id: `b${i}`,
          max_limit: 1,
          reset_duration: '1d',
        })),
      },
    ],
  ];
  const cases: BadRequestCase[] = [];
  for (const [name, f] of fields) {
    const body = JSON.stringify({ model_name: 'nul', provider: 'nul', ...f });
    cases.push(post('shared rule', `POST ${name}`, body, [400]));
    if (name.startsWith('scope')) continue;
    cases.push({
      kind: 'shared rule',
      name: `PUT ${name}`,
      method: 'PUT',
      path: `${LIST}/${seedId}`,
      headers: JSON_AUTH,
      body: JSON.stringify(f),
      expect: [400],
    });
  }
  return cases;
}

function mediaTypeCases(): BadRequestCase[] {
  const valid = JSON.stringify({ model_name: 'encoded', provider: 'corpus' });
  const as = (h: Record<string, string>) => ({ ...JSON_AUTH, ...h });
  const bomb = gzipSync(JSON.stringify({ model_name: 'x', pad: ' '.repeat(5_000_000) }));
  return [
    post('content-type', 'text/plain', valid, [415], as({ 'content-type': 'text/plain' })),
    post(
      'content-type',
      'form',
      'model_name=x',
      [415],
      as({ 'content-type': 'application/x-www-form-urlencoded' }),
    ),
    post(
      'content-type',
      'multipart',
      '--b\r\n\r\nx\r\n--b--',
      [415],
      as({ 'content-type': 'multipart/form-data; boundary=b' }),
    ),
    post('content-type', 'missing', valid, [415], AUTH),
    post('content-type', 'garbage', valid, [415], as({ 'content-type': '%%%' })),
    post(
      'content-type',
      'charset latin1',
      valid,
      [415],
      as({ 'content-type': 'application/json; charset=latin1' }),
    ),
    post(
      'content-type',
      'charset unknown',
      valid,
      [415],
      as({ 'content-type': 'application/json; charset=klingon' }),
    ),
    post(
      'content-encoding',
      'gzip on a plain body',
      valid,
      [400],
      as({ 'content-encoding': 'gzip' }),
    ),
    post(
      'content-encoding',
      'GZIP (upper case) on a plain body',
      valid,
      [400],
      as({ 'content-encoding': 'GZIP' }),
    ),
    post('content-encoding', 'br on a plain body', valid, [400], as({ 'content-encoding': 'br' })),
    post(
      'content-encoding',
      'deflate on a plain body',
      valid,
      [400],
      as({ 'content-encoding': 'deflate' }),
    ),
    post(
      'content-encoding',
      'truncated gzip',
      gzipSync(valid).subarray(0, 12),
      [400],
      as({ 'content-encoding': 'gzip' }),
    ),
    post(
      'content-encoding',
      'gzip of invalid JSON',
      gzipSync('{'),
      [400],
      as({ 'content-encoding': 'gzip' }),
    ),
    post(
      'content-encoding',
      'gzip bomb (5 MB inflated)',
      bomb,
      [413],
      as({ 'content-encoding': 'gzip' }),
    ),
    post('content-encoding', 'compress', valid, [415], as({ 'content-encoding': 'compress' })),
    post('content-encoding', 'zstd', valid, [415], as({ 'content-encoding': 'zstd' })),
    post('content-encoding', 'two encodings', valid, [415], as({ 'content-encoding': 'gzip, br' })),
    post('content-encoding', 'unknown', valid, [415], as({ 'content-encoding': 'x-unknown' })),
    {
      ...post(
        'content-encoding',
        'real gzip',
        gzipSync(JSON.stringify({ model_name: 'gzipped', provider: 'corpus' })),
        [200],
        as({ 'content-encoding': 'gzip' }),
      ),
      creates: 'gzipped',
    },
    {
      ...post(
        'content-encoding',
        'real deflate',
        deflateSync(JSON.stringify({ model_name: 'deflated', provider: 'corpus' })),
        [200],
        as({ 'content-encoding': 'deflate' }),
      ),
      creates: 'deflated',
    },
    {
      ...post(
        'content-encoding',
        'real br',
        brotliCompressSync(JSON.stringify({ model_name: 'brotli', provider: 'corpus' })),
        [200],
        as({ 'content-encoding': 'br' }),
      ),
      creates: 'brotli',
    },
  ];
}

/** The gateway admission: POST a check-and-hold, DELETE a hold by request id. */
function admissionCases(): BadRequestCase[] {
  const admissions = '/api/governance/admissions';
  const base = { request_id: 'corpus-req', provider: 'openai', model: 'gpt-4o' };
  const bodies: [string, Record<string, unknown>][] = [
    ['request_id missing', { request_id: undefined }],
    ['request_id number', { request_id: 1 }],
    ['request_id empty', { request_id: '' }],
    ['request_id NUL', { request_id: 'r\u0000' }],
    ['request_id 10 KB', { request_id: KB10 }],
    ['provider object', { provider: {} }],
    ['model array', { model: ['gpt-4o'] }],
    ['user_id number', { user_id: 7 }],
    ['virtual_key_id NUL', { virtual_key_id: '\u0000' }],
    ['estimated_cost negative', { estimated_cost: -1 }],
    ['estimated_cost NaN string', { estimated_cost: 'NaN' }],
    ['estimated_cost 1e400', { estimated_cost: '1e400' }],
    ['estimated_cost boolean', { estimated_cost: true }],
    ['estimated_cost 10 KB of digits', { estimated_cost: '9'.repeat(10_240) }],
    ['estimated_tokens fractional', { estimated_tokens: 1.5 }],
    ['estimated_tokens negative', { estimated_tokens: -1 }],
    ['estimated_tokens huge', { estimated_tokens: 1e30 }],
    ['estimated_tokens string', { estimated_tokens: '10' }],
    ['hold_for number', { hold_for: 30 }],
    ['hold_for zero', { hold_for: '0s' }],
    ['hold_for two days', { hold_for: '48h' }],
    ['hold_for 400 nines', { hold_for: `${'9'.repeat(400)}h` }],
  ];
  const cases: BadRequestCase[] = bodies.map(([name, fields]) => ({
    kind: 'admission',
    name: `POST ${name}`,
    method: 'POST',
    path: admissions,
    headers: JSON_AUTH,
    body: JSON.stringify({ ...base, ...fields }),
    expect: [400],
  }));
  cases.push({
    kind: 'admission',
    name: 'POST not an object',
    method: 'POST',
    path: admissions,
    headers: JSON_AUTH,
    body: '[]',
    expect: [400],
  });
  cases.push({
    kind: 'admission',
    name: 'POST valid (no limit matches)',
    method: 'POST',
    path: admissions,
    headers: JSON_AUTH,
    body: JSON.stringify({ ...base, model: 'no-such-model' }),
    expect: [200],
  });
  for (const [name, id, expect] of [
    ['NUL', '%00', [400]],
    ['10 KB', KB10, [400]],
    ['invalid percent-encoding', '%zz', [400]],
    ['unknown', 'never-admitted', [200]],
  ] as const) {
    cases.push({
      kind: 'admission',
      name: `DELETE ${name}`,
      method: 'DELETE',
      path: `${admissions}/${id}`,
      headers: AUTH,
      expect: [...expect],
    });
  }
  return cases;
}

function otherCases(): BadRequestCase[] {
  return [
    { kind: 'method', name: 'PATCH', method: 'PATCH', path: LIST, headers: AUTH, expect: [404] },
    {
      kind: 'method',
      name: 'POST on an id',
      method: 'POST',
      path: `${LIST}/x`,
      headers: JSON_AUTH,
      body: '{}',
      expect: [404],
    },
    {
      kind: 'method',
      name: 'PUT on the list',
      method: 'PUT',
      path: LIST,
      headers: JSON_AUTH,
      body: '{}',
      expect: [404],
    },
    {
      kind: 'method',
      name: 'DELETE on the list',
      method: 'DELETE',
      path: LIST,
      headers: AUTH,
      expect: [404],
    },
    {
      kind: 'header',
      name: '10 KB X-Request-Id',
      method: 'GET',
      path: LIST,
      headers: { ...AUTH, 'x-request-id': KB10 },
      expect: [200],
    },
    {
      kind: 'header',
      name: 'headers over 16 KB',
      method: 'GET',
      path: LIST,
      headers: { ...AUTH, 'x-pad': 'p'.repeat(20_000) },
      expect: [431],
    },
  ];
}

/** The whole corpus but the shared-rule part; `seedId` is a config PUT cases may target. */
export function badRequestCorpus(seedId: string): BadRequestCase[] {
  return [
    ...listParameterCases(),
    ...pathIdCases(),
    ...usageRangeCases(seedId),
    ...authCases(),
    ...bodySyntaxCases(),
    ...bodyFieldCases(seedId),
    ...validTextCases(),
    ...mediaTypeCases(),
    ...admissionCases(),
    ...otherCases(),
  ];
}
