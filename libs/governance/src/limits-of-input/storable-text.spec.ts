import { storableText, unstorableTextReason } from './storable-text';

describe('unstorableTextReason', () => {
  it.each([['plain'], [''], ['emoji \ud83d\ude00 pair'], ['\u00e9\u4e2d\ufffd']])(
    'accepts text PostgreSQL stores as sent (%j)',
    (text) => {
      expect(unstorableTextReason(text)).toBeNull();
    },
  );

  it('refuses NUL anywhere in the text', () => {
    expect(unstorableTextReason('a\u0000b')).toBe('must not contain NUL (U+0000) characters');
  });

  it.each([['fz-\ud83d'], ['\ude00x'], ['\ude00\ud83d']])(
    'refuses a lone surrogate (%j)',
    (text) => {
      expect(unstorableTextReason(text)).toBe(
        'must be valid Unicode (it contains a lone surrogate)',
      );
    },
  );
});

describe('storableText', () => {
  it('shows NUL as a visible escape and replaces lone surrogates', () => {
    expect(storableText('a\u0000b\ud83d')).toBe('a\\u0000b\ufffd');
  });

  it('keeps well-formed pairs', () => {
    expect(storableText('\ud83d\ude00')).toBe('\ud83d\ude00');
  });

  it('caps long text', () => {
    expect(storableText('x'.repeat(5000))).toBe(`${'x'.repeat(2000)}...`);
  });

  it('always gives text that is storable', () => {
    expect(unstorableTextReason(storableText('\u0000\ud800'.repeat(3000)))).toBeNull();
  });
});
