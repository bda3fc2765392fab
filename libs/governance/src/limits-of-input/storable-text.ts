// PostgreSQL text and jsonb cannot hold NUL, and a lone UTF-16 surrogate has no UTF-8 form
// (jsonb refuses its `\ud83d` escape; a text column would silently get U+FFFD instead). Text
// that would fail or change on the way in is refused before it can reach a statement.
const LONE_SURROGATE = /[\ud800-\udfff]/u;

/** Why this text cannot be stored exactly as sent, or null when it can. */
export function unstorableTextReason(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain NUL (U+0000) characters';
  // With the u flag a well-formed pair is one code point, so only lone halves match.
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode (it contains a lone surrogate)';
  return null;
}

/**
 * Our own messages quote what producers sent; this makes any text storable and short: NUL
 * becomes the visible escape `\u0000`, lone surrogates U+FFFD, and the text is capped.
 */
export function storableText(value: string, maxLength = 2000): string {
  const capped = value.length > maxLength ? `${value.slice(0, maxLength)}...` : value;
  return capped.replaceAll('\u0000', '\\u0000').replace(/[\ud800-\udfff]/gu, '\ufffd');
}
