import { DataSource, EntityManager } from 'typeorm';
import { crossingsOf, recordAlerts } from '../alerts/alert-outbox';
import { lockPosition, savePosition } from '../checkpoint/consumer-positions';
import { ConfigIndex } from '../config-index/config-index';
import { loadConfigIndex } from '../config-index/load-config-index';
import { appendEvents, removeEvent } from '../event-store/append-events';
import { logDeadLetters } from '../projection/dead-letter-log';
import { readReadModelState, takeProjectionLock } from '../projection/read-model-state';
import { ReadModelVersion } from '../read-model-version/read-model-version';
import { readRetentionBoundary, tooOld } from '../retention/too-old';
import { takeLogLock } from '../versions/log-lock';
import { AppliedBatch } from './applied-batch';
import { DeadLetter, IncomingBatch } from './incoming-batch';
import { applyIsolatingFaults } from './isolate-faulty-record';
import { projectEvents, SequencedEvent } from './project-events';
import { isRecordFault } from './record-fault';
import {
  EventRecord,
  isConfigRecord,
  splitBatch,
  toAppend,
  toDeadLetter,
  toLogEntry,
} from './split-batch';

export type DeadLetterPublisher = (letters: readonly DeadLetter[]) => Promise<void>;

/**
 * Applies one partition's batch in ONE transaction: new events into the store, counter and
 * config changes, dead letters and the partition position. Either all of it lands or none,
 * which is what makes a crash at any point safe to redeliver.
 *
 * Usage batches of different partitions run concurrently (shared projection lock); a batch
 * with config events runs alone (exclusive lock), so every usage event is charged against one
 * consistent set of configs and replay in sequence order sees the same sets.
 */
export class BatchApplier {
  private cached: { epoch: number; index: ConfigIndex } | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly version: ReadModelVersion,
    private readonly publishDeadLetters: DeadLetterPublisher,
    /** ALERT_THRESHOLDS in percent, ascending; empty: no alerts */
    private readonly alertThresholds: readonly number[] = [],
  ) {}

  /** The live configs as of the last committed batch (the Redis writer needs their windows). */
  configIndex(): ConfigIndex {
    return this.cached?.index ?? new ConfigIndex();
  }

  async apply(batch: IncomingBatch): Promise<AppliedBatch> {
    try {
      return await this.applyOnce(batch);
    } catch (error) {
      if (!isRecordFault(error) || batch.records.length === 0) throw error;
      return applyIsolatingFaults(batch, (part) => this.applyOnce(part));
    }
  }

  private async applyOnce(batch: IncomingBatch): Promise<AppliedBatch> {
    try {
      return await this.dataSource.transaction((m) => this.applyIn(m, batch));
    } catch (error) {
      this.cached = null; // the cache may hold changes of a rolled-back transaction
      throw error;
    }
  }

  private async applyIn(m: EntityManager, batch: IncomingBatch): Promise<AppliedBatch> {
    const changesConfigs = batch.records.some(isConfigRecord);
    const t = this.version.tables;
    await takeLogLock(m, 'shared');
    await takeProjectionLock(m, this.version, changesConfigs ? 'exclusive' : 'shared');
    const state = await readReadModelState(m, t);
    const current = await this.indexAt(m, state.configEpoch);
    // Config batches work on a copy: a rollback must not leave changes in the shared cache.
    const index = changesConfigs ? current.clone() : current;
    const ref = { group: batch.group, topic: batch.topic, partition: batch.partition };
    const split = splitBatch(batch, await lockPosition(m, ref));
    const { deadLetters, skipped } = split;
    const boundary = await readRetentionBoundary(m);
    const events = split.events.filter((record) => {
      const reason = tooOld(record.event.time, boundary);
      if (reason !== null) deadLetters.push(toDeadLetter(batch, record, reason));
      return reason === null;
    });
    const seqs = await appendEvents(
      m,
      events.map((r) => toAppend(batch, r)),
      changesConfigs ? 'log' : 'identity',
    );

    const fresh: SequencedEvent[] = [];
    const recordOf = new Map<number, EventRecord>();
    let duplicates = 0;
    for (const record of events) {
      const seq = seqs.get(record.offset);
      if (seq === undefined) {
        duplicates += 1; // applied when it first arrived (maybe earlier in this very batch)
        continue;
      }
      fresh.push({ seq, event: record.event });
      recordOf.set(seq, record);
    }
    const projected = await projectEvents(m, this.version, index, fresh, async (rejections) => {
      for (const [seq, reason] of rejections) {
        await removeEvent(m, seq);
        const record = recordOf.get(seq);
        if (record) deadLetters.push(toDeadLetter(batch, record, reason));
      }
      deadLetters.sort((a, b) => (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1)); // source order
      await this.sendDeadLetters(m, deadLetters);
    });
    const { counters, state: after } = projected;
    await recordAlerts(m, crossingsOf(projected.charges, counters, this.alertThresholds));
    await savePosition(m, ref, batch.nextOffset);
    this.remember(after.configEpoch, index);
    return {
      topic: batch.topic,
      partition: batch.partition,
      applied: fresh.length - projected.rejections.size,
      duplicates,
      skippedBeforePosition: skipped,
      deadLetters,
      counters,
      configs: projected.configs,
      settledRequestIds: projected.settledRequestIds,
      lastSeq: after.lastSeq,
      asOf: after.asOf,
    };
  }

  /**
   * Sent inside the transaction, so the position never moves past a dead letter that was not
   * sent, but before the shared counter rows and the read_model_state row are locked: a slow
   * DLQ holds back this partition only. Records logged by an earlier commit are not sent again.
   */
  private async sendDeadLetters(m: EntityManager, letters: DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    const fresh = await logDeadLetters(m, letters.map(toLogEntry));
    const unsent = letters.filter((l) => fresh.has(l.offset));
    if (unsent.length > 0) await this.publishDeadLetters(unsent);
  }

  private async indexAt(m: EntityManager, epoch: number): Promise<ConfigIndex> {
    if (this.cached?.epoch === epoch) return this.cached.index;
    const index = await loadConfigIndex(m, this.version.tables);
    this.remember(epoch, index);
    return index;
  }

  // Batches run concurrently: never let an older view replace a newer one.
  private remember(epoch: number, index: ConfigIndex): void {
    if (!this.cached || epoch >= this.cached.epoch) this.cached = { epoch, index };
  }
}
