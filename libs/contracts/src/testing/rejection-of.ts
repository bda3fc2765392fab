import { InvalidRecordError } from '../dead-letter/dead-letter-reason';
import { DecodeOptions } from '../decoding/decode-options';
import { decodeRecord } from '../decoding/decode-record';
import { RawRecord } from '../events/kafka-record';
import { DECODE_OPTIONS } from './raw-record.builder';

/** The error decodeRecord throws for a record; fails loudly if the record decodes. */
export function rejectionOf(
  record: RawRecord,
  opts: DecodeOptions = DECODE_OPTIONS,
): InvalidRecordError {
  try {
    decodeRecord(record, opts);
  } catch (error) {
    if (error instanceof InvalidRecordError) return error;
    throw error;
  }
  throw new Error('expected the record to be rejected, but it decoded');
}
