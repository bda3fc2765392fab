import { AppliedBatch, AppliedVersion } from './applied-batch';
import { DecodedRecord, IncomingBatch } from './incoming-batch';
import { isRecordFault, unprocessable } from './record-fault';

export type ApplyOnce = (batch: IncomingBatch) => Promise<AppliedBatch>;

/**
 * The safety net behind validation: a batch refused for what one of its records holds is
 * applied again one record per transaction, and a record that still fails on its own is
 * dead-lettered as `unprocessable`. Without this, one record the validators missed would be
 * retried forever and hold back its whole partition. Each transaction saves the position after
 * its record, so an outage in the middle loses and repeats nothing.
 */
export async function applyIsolatingFaults(
  batch: IncomingBatch,
  applyOnce: ApplyOnce,
): Promise<AppliedBatch> {
  const parts: AppliedBatch[] = [];
  for (const [i, record] of batch.records.entries()) {
    const next = batch.records[i + 1];
    const single = {
      ...batch,
      records: [record],
      nextOffset: next ? BigInt(next.offset) : batch.nextOffset,
    };
    try {
      parts.push(await applyOnce(single));
    } catch (error) {
      if (!isRecordFault(error)) throw error;
      parts.push(await applyOnce({ ...single, records: [asRejected(record, error)] }));
    }
  }
  return merged(batch, parts);
}

function asRejected(record: DecodedRecord, error: unknown): DecodedRecord {
  const identity = 'event' in record ? { source: record.event.source, id: record.event.id } : null;
  return {
    offset: record.offset,
    original: record.original,
    rejected: unprocessable(error),
    identity,
  };
}

function merged(batch: IncomingBatch, parts: readonly AppliedBatch[]): AppliedBatch {
  const last = parts[parts.length - 1];
  return {
    topic: batch.topic,
    partition: batch.partition,
    applied: sum(parts, (p) => p.applied),
    duplicates: sum(parts, (p) => p.duplicates),
    skippedBeforePosition: sum(parts, (p) => p.skippedBeforePosition),
    deadLetters: parts.flatMap((p) => p.deadLetters),
    // Later values of one counter come later: the version-fenced Redis writes keep the newest.
    counters: parts.flatMap((p) => p.counters),
    configs: parts.flatMap((p) => p.configs),
    settledRequestIds: parts.flatMap((p) => p.settledRequestIds),
    lastSeq: last?.lastSeq ?? 0,
    asOf: last?.asOf ?? null,
    versions: mergedVersions(parts),
  };
}

const sum = (parts: readonly AppliedBatch[], of: (p: AppliedBatch) => number): number =>
  parts.reduce((total, p) => total + of(p), 0);

/** Each version's effects over the parts, in the order the parts committed. */
function mergedVersions(parts: readonly AppliedBatch[]): AppliedVersion[] {
  const byId = new Map<number, AppliedVersion>();
  for (const v of parts.flatMap((p) => p.versions)) {
    const seen = byId.get(v.version.id);
    byId.set(
      v.version.id,
      seen
        ? {
            ...v,
            counters: [...seen.counters, ...v.counters],
            configs: [...seen.configs, ...v.configs],
            settledRequestIds: [...seen.settledRequestIds, ...v.settledRequestIds],
            refused: seen.refused + v.refused,
            firstSeq: seen.firstSeq === 0 ? v.firstSeq : seen.firstSeq,
          }
        : v,
    );
  }
  return [...byId.values()];
}
