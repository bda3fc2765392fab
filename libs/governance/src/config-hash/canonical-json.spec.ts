import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('writes the same text whatever order the keys were added in', () => {
    expect(canonicalJson({ b: 1, a: { d: null, c: 'x' } })).toBe(
      canonicalJson({ a: { c: 'x', d: null }, b: 1 }),
    );
  });

  it('sorts keys at every depth, including inside arrays', () => {
    expect(canonicalJson([{ z: true, y: [2, 1] }])).toBe('[{"y":[2,1],"z":true}]');
  });

  it('keeps array order, which carries meaning', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it('escapes strings and keys like JSON', () => {
    expect(canonicalJson({ 'a"b': 'c\nd' })).toBe('{"a\\"b":"c\\nd"}');
  });

  it('writes scalars as JSON', () => {
    expect([null, true, 1.5, 'x'].map(canonicalJson)).toEqual(['null', 'true', '1.5', '"x"']);
  });
});
