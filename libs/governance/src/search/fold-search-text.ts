/**
 * What "case-insensitive" means for `search`, once for every read path: Unicode default
 * lower-casing (locale-independent), with final sigma folded to sigma so that a needle cut out
 * of the middle of a word matches the same letters at its end. No normalization: NFC and NFD
 * spellings stay different strings. The read models store the folded name and compare bytes,
 * so PostgreSQL, Redis and the reference agree exactly whatever the database locale.
 */
export function foldSearchText(text: string): string {
  return text.toLowerCase().replace(/ς/g, 'σ');
}

/**
 * Code-point order (the order of UTF-8 bytes, PostgreSQL's "C" collation and Redis's sorted-set
 * members), not JavaScript's UTF-16 code-unit order, which differs above U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i += 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
