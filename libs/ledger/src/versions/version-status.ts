import { DataSource } from 'typeorm';
import { readReadModelState } from '../projection/read-model-state';
import { RunningBuild, runningBuild } from '../replay/build-lock';
import { headSeq } from '../replay/stored-events';
import { VersionRecord, VersionRegistry } from './version-registry';

/** One version as `replay status` shows it. */
export interface VersionPosition extends VersionRecord {
  /** read_model_state.last_seq: every event up to here is in it (null: tables dropped) */
  lastSeq: number | null;
  /** head of the log - lastSeq */
  lag: number | null;
  asOf: Date | null;
}

export interface ReplayStatus {
  /** the newest seq in the event store */
  head: number;
  active: number;
  versions: VersionPosition[];
  /** the replay build running now (its progress: its version's lastSeq against head) */
  build: RunningBuild | null;
}

/** Every registered version, where it stands in the log, and the head of the log. */
export async function readReplayStatus(
  ds: DataSource,
  registry: VersionRegistry,
): Promise<ReplayStatus> {
  const m = ds.manager;
  const [records, head, build] = await Promise.all([
    registry.list(m),
    headSeq(m),
    runningBuild(ds),
  ]);
  const versions: VersionPosition[] = [];
  for (const record of records) {
    const tables = registry.version(record.id).tables;
    const exists: { found: boolean }[] = await m.query(
      `SELECT to_regclass($1) IS NOT NULL AS found`,
      [tables.state],
    );
    const state = exists[0].found ? await readReadModelState(m, tables) : null;
    versions.push({
      ...record,
      lastSeq: state?.lastSeq ?? null,
      lag: state ? head - state.lastSeq : null,
      asOf: state?.asOf ?? null,
    });
  }
  const active = records.find((v) => v.status === 'active');
  return { head, active: active?.id ?? 0, versions, build };
}
