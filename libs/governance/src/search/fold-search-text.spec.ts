import { compareCodePoints, foldSearchText } from './fold-search-text';

describe('foldSearchText', () => {
  it('lower-cases Unicode without a locale and folds final sigma', () => {
    expect(foldSearchText('GPT-4o ΟΔΟΣ')).toBe('gpt-4o οδοσ');
    expect(foldSearchText('ΟΔΟΣ').includes(foldSearchText('Σ'))).toBe(true);
  });
});

describe('compareCodePoints', () => {
  it('orders by code point where UTF-16 code units disagree', () => {
    const astral = '\u{1F600}'; // U+1F600, code units D83D DE00
    const bmpHigh = '\uFF21'; // U+FF21 is below U+1F600 but its code unit is above D83D
    expect(astral < bmpHigh).toBe(true);
    expect(compareCodePoints(astral, bmpHigh)).toBe(1);
    expect(compareCodePoints('a', 'ab')).toBe(-1);
    expect(compareCodePoints('b', 'ab')).toBe(1);
    expect(compareCodePoints(`x${astral}`, `x${astral}`)).toBe(0);
  });
});
