import fc from 'fast-check';
import { copyHeader, copyTrailer, copyTuple } from '../event-store/copy-binary';
import { StoredRowParser } from './stored-events';

/** The bytes PostgreSQL sends for `COPY (SELECT seq, envelope ...) TO STDOUT (FORMAT binary)`. */
function copyBytes(rows: { seq: number; envelope: string }[]): Buffer {
  return Buffer.concat([
    copyHeader(),
    ...rows.map((r) => copyTuple([{ int8: BigInt(r.seq) }, { text: r.envelope }])),
    copyTrailer(),
  ]);
}

describe('StoredRowParser', () => {
  it('reads every row whatever the chunks the stream cuts the bytes into', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ seq: fc.nat(), envelope: fc.string({ unit: 'binary', maxLength: 300 }) }),
        ),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1 }),
        (rows, cuts) => {
          const bytes = copyBytes(rows);
          const parser = new StoredRowParser();
          for (let at = 0, i = 0; at < bytes.length; i += 1) {
            const size = cuts[i % cuts.length];
            parser.push(bytes.subarray(at, at + size));
            at += size;
          }
          expect(parser.finish()).toEqual(rows);
        },
      ),
    );
  });

  it('refuses a stream that ends mid-row', () => {
    const bytes = copyBytes([{ seq: 1, envelope: '{"a":1}' }]);
    const parser = new StoredRowParser();
    parser.push(bytes.subarray(0, bytes.length - 5));
    expect(() => parser.finish()).toThrow('ended mid-row');
  });
});
