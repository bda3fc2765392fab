import { ApiError } from '../../http/api-error';
import { ConfigIdPipe } from './config-id.pipe';

describe('ConfigIdPipe', () => {
  const pipe = new ConfigIdPipe();

  it('passes any id a config can have, control characters and Unicode included', () => {
    for (const id of ['mc-1', 'a/b', '..', 'é😀', '\u0001\u001f', 'x'.repeat(255)]) {
      expect(pipe.transform(id)).toBe(id);
    }
  });

  it('refuses an id no config can have with a 400 naming the rule', () => {
    expect(() => pipe.transform('\u0000')).toThrow(
      new ApiError('bad_request', 'Invalid id: must not contain NUL (U+0000) characters'),
    );
    expect(() => pipe.transform('a\u0000b')).toThrow(/NUL/);
    expect(() => pipe.transform('x'.repeat(256))).toThrow(/at most 255 characters/);
  });
});
