import { foldSearchText } from '@app/governance';
import { EntityManager } from 'typeorm';
import { ReadModelTables } from '../read-model-version/read-model-tables';
import { ConfigSnapshot } from '../snapshot/config-snapshot';
import { CONFIG_INSERT_COLUMNS, CONFIG_UPSERT } from './config-projection';
import { storeDefinition, storeLimit } from '../snapshot/snapshot-codec';

type Change =
  | {
      kind: 'upsert';
      id: string;
      snapshot: Omit<ConfigSnapshot, 'version'>;
      seq: number;
      version: number;
    }
  | { kind: 'delete'; id: string; deletedAt: Date; seq: number; version: number };

/**
 * The config writes of a rebuild chunk, batched: saveConfig and deleteConfig cost a round trip
 * per config event (most of a rebuild's first seconds, when every config of the fleet arrives).
 * The version each write gives is known without asking: the row's version plus one, from
 * `rowVersions` (every row of the target, deleted ones too). The projection sends what it
 * holds after every run of events without waiting (PostgreSQL writes it while the next events
 * are charged) and flushes before the chunk's counters.
 *
 * It writes the very row transitions saveConfig and deleteConfig would have, with their
 * SQL (`version = version + 1`): the n-th changes of every config in one statement, round
 * after round, so every row (and the live-count trigger) goes through the same states as in
 * the live projector. The versions PostgreSQL returns must be the ones predicted.
 */
export class ConfigWriteBatch {
  private readonly changes: Change[] = [];
  /** the writes sent so far, in order; `flush` waits for them */
  private sent: Promise<void> = Promise.resolve();

  /** `rowVersions`: id -> version of every row of the target; updated as writes are added */
  constructor(private readonly rowVersions: Map<string, number>) {}

  /** An upsert; returns the version it gives the row. */
  upsert(snapshot: Omit<ConfigSnapshot, 'version'>, seq: number): number {
    const id = snapshot.definition.id;
    const version = (this.rowVersions.get(id) ?? 0) + 1;
    this.rowVersions.set(id, version);
    this.changes.push({ kind: 'upsert', id, snapshot, seq, version });
    return version;
  }

  /** A delete of a live config (the caller knows it is live); returns the row's new version. */
  delete(id: string, deletedAt: Date, seq: number): number {
    const current = this.rowVersions.get(id);
    if (current === undefined) throw new Error(`config ${id} is live but has no row version`);
    const version = current + 1;
    this.rowVersions.set(id, version);
    this.changes.push({ kind: 'delete', id, deletedAt, seq, version });
    return version;
  }

  /**
   * Sends the writes held so far without waiting for them: PostgreSQL writes them (in order,
   * on the chunk's connection) while the caller goes on with the next events.
   */
  send(m: EntityManager, t: ReadModelTables): void {
    if (this.changes.length === 0) return;
    const changes = this.changes.splice(0);
    const previous = this.sent;
    this.sent = previous.then(() => writeInRounds(m, t, changes));
    // Awaited by flush; until then a failure must not count as unhandled.
    this.sent.catch(() => undefined);
  }

  /** Every write held or sent is in the table (or the first failure is thrown). */
  async flush(m: EntityManager, t: ReadModelTables): Promise<void> {
    this.send(m, t);
    await this.sent;
  }
}

async function writeInRounds(
  m: EntityManager,
  t: ReadModelTables,
  changes: Change[],
): Promise<void> {
  const rounds: Change[][] = [];
  const seen = new Map<string, number>();
  for (const change of changes) {
    const round = seen.get(change.id) ?? 0;
    seen.set(change.id, round + 1);
    (rounds[round] ??= []).push(change);
  }
  for (const round of rounds) {
    const upserts = round.filter((c) => c.kind === 'upsert');
    const deletes = round.filter((c) => c.kind === 'delete');
    if (upserts.length > 0) expectVersions(await writeUpserts(m, t, upserts), upserts);
    if (deletes.length > 0) expectVersions(await writeDeletes(m, t, deletes), deletes);
  }
}

/** saveConfig for many configs (distinct ids) in one statement. */
async function writeUpserts(
  m: EntityManager,
  t: ReadModelTables,
  upserts: Extract<Change, { kind: 'upsert' }>[],
): Promise<{ id: string; version: string }[]> {
  const rows = upserts.map(({ snapshot, seq }) => {
    const d = snapshot.definition;
    return {
      id: d.id,
      model_name: d.modelName,
      provider: d.provider,
      scope: d.scope,
      scope_id: d.scopeId,
      scope_name: d.scopeName,
      calendar_aligned: d.calendarAligned,
      definition: storeDefinition(d),
      limits: snapshot.limits.map(storeLimit),
      config_hash: snapshot.configHash,
      created_at: d.createdAt.toISOString(),
      updated_at: d.updatedAt.toISOString(),
      changed_seq: seq,
      search_name: foldSearchText(d.modelName),
    };
  });
  // The table's own row type converts every field as the parameters of saveConfig are.
  return m.query(
    `INSERT INTO ${t.configs} AS mc ${CONFIG_INSERT_COLUMNS}
     SELECT id, model_name, provider, scope, scope_id, scope_name, calendar_aligned,
            definition, limits, config_hash, created_at, updated_at, 1, changed_seq, NULL,
            search_name
       FROM json_populate_recordset(NULL::${t.configs}, $1::json) WITH ORDINALITY
      ORDER BY ordinality
     ${CONFIG_UPSERT}
     RETURNING id, version`,
    [JSON.stringify(rows)],
  );
}

/** deleteConfig for many live configs (distinct ids) in one statement. */
async function writeDeletes(
  m: EntityManager,
  t: ReadModelTables,
  deletes: Extract<Change, { kind: 'delete' }>[],
): Promise<{ id: string; version: string }[]> {
  return m.query(
    `WITH deleted AS (
       UPDATE ${t.configs} AS mc SET deleted_at = x.deleted_at, version = mc.version + 1,
              changed_seq = x.seq
         FROM unnest($1::text[], $2::timestamptz[], $3::bigint[]) AS x(id, deleted_at, seq)
        WHERE mc.id = x.id AND mc.deleted_at IS NULL
        RETURNING mc.id, mc.version)
     SELECT id, version FROM deleted`,
    [
      deletes.map((d) => d.id),
      deletes.map((d) => d.deletedAt.toISOString()),
      deletes.map((d) => d.seq),
    ],
  );
}

// A version PostgreSQL gives that the batch did not predict would make the index, Redis and
// later expected-version checks disagree with the table: stop the rebuild instead.
function expectVersions(rows: { id: string; version: string }[], changes: Change[]): void {
  const got = new Map(rows.map((r) => [r.id, Number(r.version)]));
  for (const c of changes) {
    if (got.get(c.id) !== c.version) {
      throw new Error(
        `config ${c.id}: the rebuild predicted version ${c.version}, the table gave ${got.get(c.id) ?? 'no row'}`,
      );
    }
  }
}
