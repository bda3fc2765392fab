import bodyParser from 'body-parser';
import type { Request, Response } from 'express';
import { Readable } from 'node:stream';
import { errorResponseOf } from './error-response';
import { BODY_LIMIT, JSON_MEDIA_TYPES, verifyUtf8 } from './request-body';
import { BODY_LIMIT_BYTES, isPlainJsonBody, parsePlainJson } from './raw-json-body';

const json = bodyParser.json({ limit: BODY_LIMIT, type: JSON_MEDIA_TYPES, verify: verifyUtf8 });

type Outcome = { body: unknown } | { status: number; message: string };

const outcomeOf = (error: unknown): Outcome => {
  const { status, message } = errorResponseOf(error);
  return { status, message };
};

/** What the API's JSON body parser makes of these bytes, sent as plain JSON. */
function parsedByBodyParser(bytes: Buffer): Promise<Outcome> {
  const req = Object.assign(Readable.from([bytes]), {
    headers: { 'content-type': 'application/json', 'content-length': String(bytes.length) },
  }) as unknown as Request;
  return new Promise((resolve) =>
    json(req, {} as Response, (error?: unknown) =>
      resolve(error === undefined ? { body: req.body as unknown } : outcomeOf(error)),
    ),
  );
}

function parsedRaw(bytes: Buffer): Outcome {
  try {
    return { body: parsePlainJson(bytes) };
  } catch (error) {
    return outcomeOf(error);
  }
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

describe('parsePlainJson', () => {
  it.each<[string, Buffer]>([
    ['an object', Buffer.from('{"request_id":"r","n":1.5}')],
    ['an object after JSON whitespace', Buffer.from(' \t\r\n{"a":[1,2]}')],
    ['an array', Buffer.from('[1,{"a":null}]')],
    ['non-ASCII text', Buffer.from('{"model":"模型 é \u2028"}')],
    ['an empty body', Buffer.alloc(0)],
    ['only whitespace', Buffer.from('  \n ')],
    ['a string', Buffer.from('"text"')],
    ['null', Buffer.from('null')],
    ['a number', Buffer.from('12')],
    ['a leading non-JSON space (NBSP)', Buffer.from('\u00a0{}')],
    ['a leading form feed', Buffer.from('\f{}')],
    ['truncated JSON', Buffer.from('{"a":')],
    ['trailing garbage', Buffer.from('{} x')],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])],
    ['an overlong UTF-8 encoding', Buffer.from([0x7b, 0xc0, 0xaf, 0x7d])],
    ['a byte-order mark before an object', Buffer.concat([BOM, Buffer.from('{"a":1}')])],
    ['a byte-order mark alone', BOM],
    ['two byte-order marks', Buffer.concat([BOM, BOM, Buffer.from('{}')])],
    ['a lone surrogate escape', Buffer.from('{"a":"\\ud800"}')],
  ])('reads %s as the body parser does', async (_, bytes) => {
    expect(parsedRaw(bytes)).toEqual(await parsedByBodyParser(bytes));
  });
});

describe('isPlainJsonBody', () => {
  const plain = { 'content-type': 'application/json', 'content-length': '20' };

  it.each([
    ['application/json', plain],
    [
      'a charset of utf-8, any case',
      { ...plain, 'content-type': 'Application/JSON; charset=UTF-8' },
    ],
    ['a body at the limit', { ...plain, 'content-length': String(BODY_LIMIT_BYTES) }],
  ])('takes %s', (_, headers) => expect(isPlainJsonBody(headers)).toBe(true));

  it.each([
    ['no Content-Type', { 'content-length': '20' }],
    ['another media type', { ...plain, 'content-type': 'text/plain' }],
    ['a +json type', { ...plain, 'content-type': 'application/merge-patch+json' }],
    ['another charset', { ...plain, 'content-type': 'application/json; charset=utf-16' }],
    ['a quoted charset', { ...plain, 'content-type': 'application/json; charset="utf-8"' }],
    ['a Content-Encoding', { ...plain, 'content-encoding': 'gzip' }],
    ['chunking', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }],
    ['no Content-Length', { 'content-type': 'application/json' }],
    ['a body over the limit', { ...plain, 'content-length': String(BODY_LIMIT_BYTES + 1) }],
  ])('leaves %s to the body parser', (_, headers) => expect(isPlainJsonBody(headers)).toBe(false));
});
