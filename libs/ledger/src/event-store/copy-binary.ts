/**
 * PostgreSQL's binary COPY format for the columns the event store stages: no escaping and no
 * string building, so a batch of envelopes goes to the server as the bytes the producer sent.
 */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);

export type CopyField =
  | { text: string }
  | { bytes: Buffer }
  | { int4: number }
  | { int8: bigint }
  | { timestamptz: Date };

export function copyHeader(): Buffer {
  const header = Buffer.alloc(SIGNATURE.length + 8);
  SIGNATURE.copy(header);
  return header; // flags and header-extension length are both zero
}

export function copyTrailer(): Buffer {
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(-1);
  return trailer;
}

export function copyTuple(fields: readonly CopyField[]): Buffer {
  const values = fields.map(encodeField);
  const size = 2 + values.reduce((sum, v) => sum + 4 + v.length, 0);
  const tuple = Buffer.allocUnsafe(size);
  let at = tuple.writeInt16BE(fields.length, 0);
  for (const value of values) {
    at = tuple.writeInt32BE(value.length, at);
    at += value.copy(tuple, at);
  }
  return tuple;
}

function encodeField(field: CopyField): Buffer {
  if ('text' in field) return Buffer.from(field.text, 'utf8');
  if ('bytes' in field) return field.bytes;
  const value = Buffer.allocUnsafe('int4' in field ? 4 : 8);
  if ('int4' in field) value.writeInt32BE(field.int4);
  else if ('int8' in field) value.writeBigInt64BE(field.int8);
  else value.writeBigInt64BE(BigInt(field.timestamptz.getTime() - POSTGRES_EPOCH_MS) * 1000n);
  return value;
}
