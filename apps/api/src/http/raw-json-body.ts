import { isUtf8 } from 'node:buffer';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from './api-error';

/** BODY_LIMIT ('1mb') in bytes, as body-parser reads it. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

// What gateways send. Any other spelling (parameters, +json types, another charset) is left to
// the body parser, whose answers for those the raw lane would otherwise have to copy too.
const PLAIN_JSON = new Set(['application/json', 'application/json; charset=utf-8']);

/**
 * True when the body parser would read this request's body as plain UTF-8 JSON with nothing
 * to undo: a JSON Content-Type, a Content-Length within the limit, no Content-Encoding and no
 * chunking. Only such a request takes the raw lane; every other one keeps Express's answers.
 */
export function isPlainJsonBody(headers: IncomingHttpHeaders): boolean {
  const type = headers['content-type'];
  if (type === undefined || !PLAIN_JSON.has(type.toLowerCase())) return false;
  if (headers['content-encoding'] !== undefined || headers['transfer-encoding'] !== undefined) {
    return false;
  }
  const length = headers['content-length'];
  return length !== undefined && Number(length) <= BODY_LIMIT_BYTES;
}

const BOM = 0xfeff;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
// JSON's whitespace (RFC 8259): space, tab, line feed, carriage return.
const JSON_WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const INVALID_JSON = 'Invalid JSON';

/**
 * The body as the JSON body parser (strict, with verifyUtf8) gives it: invalid UTF-8 and
 * anything but an object or array are refused with the same errors, a leading byte-order mark
 * is dropped (its UTF-8 decoder does), and an empty body is `{}`.
 */
export function parsePlainJson(bytes: Buffer): unknown {
  if (!isUtf8(bytes)) {
    throw new ApiError('invalid_json', 'Invalid JSON: the body is not valid UTF-8');
  }
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === BOM) text = text.slice(1);
  if (text.length === 0) return {};
  const first = text.charCodeAt(firstNonWhitespace(text));
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    throw new ApiError('invalid_json', INVALID_JSON);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError('invalid_json', INVALID_JSON);
  }
}

function firstNonWhitespace(text: string): number {
  let i = 0;
  while (i < text.length && JSON_WHITESPACE.has(text.charCodeAt(i))) i += 1;
  return i;
}
