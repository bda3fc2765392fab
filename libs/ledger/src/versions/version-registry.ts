import { EntityManager } from 'typeorm';
import { ReadModelVersion } from '../read-model-version/read-model-version';

type Queryable = Pick<EntityManager, 'query'>;

export const VERSION_STATUSES = ['building', 'following', 'active', 'retired'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

/** One row of public.read_model_versions. */
export interface VersionRecord {
  id: number;
  status: VersionStatus;
  createdAt: Date;
  builtFrom: string | null;
  scope: string[] | null;
  redisReadyAt: Date | null;
  activatedAt: Date | null;
  deactivatedAt: Date | null;
  retiredAt: Date | null;
}

/** The versions a live batch applies its events to: the active one and every follower. */
export interface FollowedVersions {
  /** the registry epoch this set was read at */
  epoch: number;
  active: ReadModelVersion;
  /** active and following versions, in id order (the order their projection locks are taken) */
  all: ReadModelVersion[];
}

type Row = {
  id: number;
  status: VersionStatus;
  created_at: Date;
  built_from: string | null;
  scope: string[] | null;
  redis_ready_at: Date | null;
  activated_at: Date | null;
  deactivated_at: Date | null;
  retired_at: Date | null;
};

/**
 * The registry of read-model versions (public.read_model_versions): which one is active,
 * which ones the live projector keeps current. Every method reads through the manager it is
 * given, so a caller inside a transaction sees the registry of that transaction.
 */
export class VersionRegistry {
  constructor(
    private readonly db: Queryable,
    private readonly redisKeyPrefix: string,
  ) {}

  /** Where version `id` lives (no database access). */
  version(id: number): ReadModelVersion {
    return new ReadModelVersion(id, this.redisKeyPrefix);
  }

  async list(q: Queryable = this.db): Promise<VersionRecord[]> {
    const rows: Row[] = await q.query(`SELECT * FROM public.read_model_versions ORDER BY id`);
    return rows.map(toRecord);
  }

  async find(id: number, q: Queryable = this.db): Promise<VersionRecord | null> {
    const rows: Row[] = await q.query(`SELECT * FROM public.read_model_versions WHERE id = $1`, [
      id,
    ]);
    return rows.length === 0 ? null : toRecord(rows[0]);
  }

  async active(q: Queryable = this.db): Promise<ReadModelVersion> {
    const rows: { id: number }[] = await q.query(
      `SELECT id FROM public.read_model_versions WHERE status = 'active'`,
    );
    if (rows.length === 0) throw new Error('No active read-model version in the registry');
    return this.version(rows[0].id);
  }

  async followed(q: Queryable = this.db): Promise<FollowedVersions> {
    const rows: { epoch: string; id: number; status: VersionStatus }[] = await q.query(
      `SELECT (SELECT epoch FROM public.read_model_registry WHERE id = 1) AS epoch, id, status
         FROM public.read_model_versions
        WHERE status IN ('active', 'following') ORDER BY id`,
    );
    const active = rows.find((r) => r.status === 'active');
    if (!active) throw new Error('No active read-model version in the registry');
    return {
      epoch: Number(active.epoch),
      active: this.version(active.id),
      all: rows.map((r) => this.version(r.id)),
    };
  }

  /** Bumped by a trigger on every registry change: cheap to poll, re-read on change. */
  async epoch(q: Queryable = this.db): Promise<number> {
    const rows: { epoch: string }[] = await q.query(
      `SELECT epoch FROM public.read_model_registry WHERE id = 1`,
    );
    return Number(rows[0].epoch);
  }

  /** The id a new build gets: one more than any version ever registered. */
  async nextId(q: Queryable = this.db): Promise<number> {
    const rows: { next: number }[] = await q.query(
      `SELECT COALESCE(max(id), 0) + 1 AS next FROM public.read_model_versions`,
    );
    return Number(rows[0].next);
  }

  /** Registers a new version as 'building'. */
  async register(
    id: number,
    options: { builtFrom: string; scope?: readonly string[] | null },
    q: Queryable = this.db,
  ): Promise<void> {
    await q.query(
      `INSERT INTO public.read_model_versions (id, status, built_from, scope)
       VALUES ($1, 'building', $2, $3)`,
      [id, options.builtFrom, options.scope ?? null],
    );
  }

  /** Sets a version's status (and the matching timestamp). */
  async setStatus(id: number, status: VersionStatus, q: Queryable = this.db): Promise<void> {
    await q.query(
      `UPDATE public.read_model_versions
          SET status = $2,
              activated_at   = CASE WHEN $2 = 'active' THEN now() ELSE activated_at END,
              deactivated_at = CASE WHEN status = 'active' AND $2 <> 'active' THEN now()
                                    ELSE deactivated_at END,
              retired_at     = CASE WHEN $2 = 'retired' THEN now() ELSE retired_at END
        WHERE id = $1`,
      [id, status],
    );
  }

  async markRedisReady(id: number, q: Queryable = this.db): Promise<void> {
    await q.query(`UPDATE public.read_model_versions SET redis_ready_at = now() WHERE id = $1`, [
      id,
    ]);
  }
}

function toRecord(r: Row): VersionRecord {
  return {
    id: Number(r.id),
    status: r.status,
    createdAt: r.created_at,
    builtFrom: r.built_from,
    scope: r.scope,
    redisReadyAt: r.redis_ready_at,
    activatedAt: r.activated_at,
    deactivatedAt: r.deactivated_at,
    retiredAt: r.retired_at,
  };
}
