import { copyHeader, copyTrailer, copyTuple } from './copy-binary';

describe('binary COPY encoding', () => {
  it('starts with the PGCOPY signature and zero flags', () => {
    expect(copyHeader().toString('hex')).toBe('5047434f50590aff0d0a00' + '00000000' + '00000000');
  });

  it('ends with a field count of -1', () => {
    expect(copyTrailer().toString('hex')).toBe('ffff');
  });

  it('writes each field as a length and its bytes, in network order', () => {
    const tuple = copyTuple([
      { text: 'é' },
      { int4: 7 },
      { int8: 258n },
      { timestamptz: new Date('2000-01-01T00:00:01Z') },
      { bytes: Buffer.from([1, 2]) },
    ]);
    expect(tuple.toString('hex')).toBe(
      [
        '0005',
        '00000002c3a9',
        '0000000400000007',
        '000000080000000000000102',
        '00000008' + (1_000_000).toString(16).padStart(16, '0'),
        '000000020102',
      ].join(''),
    );
  });
});
