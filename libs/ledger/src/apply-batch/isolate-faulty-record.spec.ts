import { AppliedBatch } from './applied-batch';
import { DecodedRecord, IncomingBatch } from './incoming-batch';
import { applyIsolatingFaults } from './isolate-faulty-record';
import { isRecordFault } from './record-fault';

const pgError = (code: string): Error => Object.assign(new Error(`pg ${code}`), { code });

describe('isRecordFault', () => {
  it.each([['22003'], ['22008'], ['22P02'], ['22021'], ['54000'], ['23502']])(
    'blames the data for SQLSTATE %s',
    (code) => {
      expect(isRecordFault(pgError(code))).toBe(true);
    },
  );

  it.each([['08006'], ['57P01'], ['40P01'], ['40001'], ['53300'], ['23505']])(
    'blames the infrastructure (or a race) for SQLSTATE %s',
    (code) => {
      expect(isRecordFault(pgError(code))).toBe(false);
    },
  );

  it('blames the data for a RangeError and for a TypeORM-wrapped data exception', () => {
    expect(isRecordFault(new RangeError('Invalid time value'))).toBe(true);
    expect(isRecordFault({ driverError: { code: '22003' } })).toBe(true);
    expect(isRecordFault(new Error('Connection terminated unexpectedly'))).toBe(false);
  });
});

const record = (offset: number): DecodedRecord => ({
  offset: String(offset),
  original: { key: null, value: null, headers: {} },
  event: {
    type: 'governance.usage.recorded.v1',
    source: 'gw',
    id: `e-${offset}`,
    time: new Date('2026-11-27T10:00:00Z'),
  } as never,
});

const batchOf = (offsets: number[]): IncomingBatch => ({
  group: 'g',
  topic: 't',
  partition: 0,
  records: offsets.map(record),
  nextOffset: 100n,
});

const appliedOf = (batch: IncomingBatch): AppliedBatch => ({
  topic: batch.topic,
  partition: batch.partition,
  applied: batch.records.filter((r) => 'event' in r).length,
  duplicates: 0,
  settledRequestIds: [],
  versions: [],
  skippedBeforePosition: 0,
  deadLetters: batch.records.flatMap((r) =>
    'rejected' in r
      ? [
          {
            topic: 't',
            partition: 0,
            offset: r.offset,
            original: r.original,
            reason: r.rejected,
            identity: r.identity,
          },
        ]
      : [],
  ),
  counters: [],
  configs: [],
  lastSeq: Number(batch.nextOffset),
  asOf: null,
});

describe('applyIsolatingFaults', () => {
  it('applies every record on its own and dead-letters only the one that keeps failing', async () => {
    const calls: IncomingBatch[] = [];
    const result = await applyIsolatingFaults(batchOf([3, 5, 8]), async (b) => {
      calls.push(b);
      if (b.records[0].offset === '5' && 'event' in b.records[0]) throw pgError('22008');
      return appliedOf(b);
    });

    expect(result.applied).toBe(2);
    expect(result.deadLetters).toEqual([
      expect.objectContaining({
        offset: '5',
        reason: { code: 'unprocessable', message: expect.stringContaining('pg 22008') },
        identity: { source: 'gw', id: 'e-5' },
      }),
    ]);
    // Each transaction saves the position right after its record; the last one the batch's.
    expect(calls.map((b) => [b.records[0].offset, b.nextOffset])).toEqual([
      ['3', 5n],
      ['5', 8n],
      ['5', 8n],
      ['8', 100n],
    ]);
    expect(result.lastSeq).toBe(100);
  });

  it('stops at an infrastructure error, keeping what was applied before it', async () => {
    const applied: string[] = [];
    await expect(
      applyIsolatingFaults(batchOf([1, 2]), async (b) => {
        if (b.records[0].offset === '2') throw pgError('08006');
        applied.push(b.records[0].offset);
        return appliedOf(b);
      }),
    ).rejects.toThrow('pg 08006');
    expect(applied).toEqual(['1']);
  });
});
