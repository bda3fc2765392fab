import { DataSource, EntityManager } from 'typeorm';
import { crossingsOf, recordAlerts } from '../alerts/alert-outbox';
import { lockPosition, savePosition } from '../checkpoint/consumer-positions';
import { ConfigIndex } from '../config-index/config-index';
import { loadConfigIndex } from '../config-index/load-config-index';
import { appendEvents, removeEvent } from '../event-store/append-events';
import { logDeadLetters } from '../projection/dead-letter-log';
import { ReadModelState, readReadModelStates } from '../projection/read-model-state';
import { ReadModelVersion } from '../read-model-version/read-model-version';
import { readRetentionBoundary, tooOld } from '../retention/too-old';
import { AppliedBatch, AppliedVersion } from './applied-batch';
import { DeadLetter, IncomingBatch } from './incoming-batch';
import { applyIsolatingFaults } from './isolate-faulty-record';
import { ProjectedEvents, projectEvents, SequencedEvent } from './project-events';
import { lockLogAndVersions } from './version-locks';
import { FollowedVersions, VersionRegistry } from '../versions/version-registry';
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
  /** the followed versions as of the registry epoch they were read at */
  private followed: FollowedVersions | null = null;
  /** per version id: its live configs as of its config epoch */
  private readonly indexes = new Map<number, { epoch: number; index: ConfigIndex }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: VersionRegistry,
    private readonly publishDeadLetters: DeadLetterPublisher,
    /** ALERT_THRESHOLDS in percent, ascending; empty: no alerts */
    private readonly alertThresholds: readonly number[] = [],
  ) {}

  /**
   * The live configs of a version (default: the active one) as of the last committed batch
   * (the Redis writer needs their windows).
   */
  configIndex(versionId = this.followed?.active.id ?? 1): ConfigIndex {
    return this.indexes.get(versionId)?.index ?? new ConfigIndex();
  }

  async apply(batch: IncomingBatch): Promise<AppliedBatch> {
    try {
      return await this.applyOnce(batch);
    } catch (error) {
      if (!isRecordFault(error) || batch.records.length === 0) throw error;
      return applyIsolatingFaults(batch, (part) => this.applyOnce(part));
    }
  }

  private async applyOnce(batch: IncomingBatch, retried = false): Promise<AppliedBatch> {
    try {
      return await this.dataSource.transaction((m) => this.applyIn(m, batch));
    } catch (error) {
      // The caches may hold changes of a rolled-back transaction, or a version since pruned.
      this.indexes.clear();
      this.followed = null;
      // A cached version's tables were dropped by `replay prune`: once more, with the
      // registry read afresh (a table missing for any other reason fails again).
      if (!retried && isUndefinedTable(error)) return this.applyOnce(batch, true);
      throw error;
    }
  }

  private async applyIn(m: EntityManager, batch: IncomingBatch): Promise<AppliedBatch> {
    const changesConfigs = batch.records.some(isConfigRecord);
    const { followed, states } = await this.lockVersions(m, changesConfigs);
    const indexes = new Map<number, ConfigIndex>();
    for (const v of followed.all) {
      const current = await this.indexAt(m, v, states.get(v.id)!.configEpoch);
      // Config batches work on a copy: a rollback must not leave changes in the shared cache.
      indexes.set(v.id, changesConfigs ? current.clone() : current);
    }
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
    // The active version decides what is dead-lettered; the followers get what it accepted.
    const active = followed.active;
    const projected = await projectEvents(m, active, indexes.get(active.id)!, fresh, {
      beforeCounters: async (rejections) => {
        for (const [seq, reason] of rejections) {
          await removeEvent(m, seq);
          const record = recordOf.get(seq);
          if (record) deadLetters.push(toDeadLetter(batch, record, reason));
        }
        deadLetters.sort((a, b) => (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1)); // source order
        await this.sendDeadLetters(m, deadLetters);
      },
    });
    const accepted = fresh.filter((e) => !projected.rejections.has(e.seq));
    const perVersion: AppliedVersion[] = [];
    for (const v of followed.all) {
      // A follower refusing an event the active one accepted skips it for itself only
      // (`replay verify` shows the difference).
      const p =
        v.id === active.id ? projected : await projectEvents(m, v, indexes.get(v.id)!, accepted);
      perVersion.push(appliedVersion(v, v.id === active.id, p));
    }
    // Alerts come from the active version only: a follower (a rebuild) never alerts again.
    const { counters, state: after } = projected;
    await recordAlerts(m, crossingsOf(projected.charges, counters, this.alertThresholds));
    await savePosition(m, ref, batch.nextOffset);
    for (const v of perVersion)
      this.remember(v.version.id, v.configEpoch, indexes.get(v.version.id)!);
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
      versions: perVersion,
    };
  }

  /**
   * The log lock (shared) first, then every followed version's projection lock, then their
   * states. The followed set is cached and checked against the registry epoch read with the
   * states: two statements per batch when the registry did not change. It cannot change while
   * the log lock is held (switch, join and prune change it under the exclusive log lock), so
   * the set read here holds for the whole transaction.
   */
  private async lockVersions(
    m: EntityManager,
    changesConfigs: boolean,
  ): Promise<{ followed: FollowedVersions; states: Map<number, ReadModelState> }> {
    const mode = changesConfigs ? 'exclusive' : 'shared';
    let followed = this.followed;
    if (followed === null) {
      await lockLogAndVersions(m, [], mode, true);
      followed = await this.registry.followed(m);
      await lockLogAndVersions(m, followed.all, mode, false);
    } else {
      await lockLogAndVersions(m, followed.all, mode, true);
    }
    let read = await readReadModelStates(m, followed.all);
    if (read.registryEpoch !== followed.epoch) {
      const locked = new Set(followed.all.map((v) => v.id));
      followed = await this.registry.followed(m);
      await lockLogAndVersions(
        m,
        followed.all.filter((v) => !locked.has(v.id)),
        mode,
        false,
      );
      read = await readReadModelStates(m, followed.all);
      for (const id of this.indexes.keys()) {
        if (!followed.all.some((v) => v.id === id)) this.indexes.delete(id);
      }
    }
    this.followed = followed;
    return { followed, states: read.states };
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

  private async indexAt(
    m: EntityManager,
    version: ReadModelVersion,
    epoch: number,
  ): Promise<ConfigIndex> {
    const cached = this.indexes.get(version.id);
    if (cached?.epoch === epoch) return cached.index;
    const index = await loadConfigIndex(m, version.tables);
    this.remember(version.id, epoch, index);
    return index;
  }

  // Batches run concurrently: never let an older view replace a newer one.
  private remember(versionId: number, epoch: number, index: ConfigIndex): void {
    const cached = this.indexes.get(versionId);
    if (!cached || epoch >= cached.epoch) this.indexes.set(versionId, { epoch, index });
  }
}

/** PostgreSQL's undefined_table: a version pruned since the followed set was cached. */
function isUndefinedTable(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  return (e?.code ?? e?.driverError?.code) === '42P01';
}

function appliedVersion(
  version: ReadModelVersion,
  active: boolean,
  p: ProjectedEvents,
): AppliedVersion {
  return {
    version,
    active,
    counters: p.counters,
    configs: p.configs,
    settledRequestIds: p.settledRequestIds,
    lastSeq: p.state.lastSeq,
    firstSeq: p.firstSeq,
    asOf: p.state.asOf,
    configEpoch: p.state.configEpoch,
    refused: p.rejections.size,
  };
}
