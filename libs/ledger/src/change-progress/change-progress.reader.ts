import { RedisClient } from '@app/redis';
import { DataSource } from 'typeorm';
import { VersionSource } from '../versions/version-source';

/** Where one recorded config event stands in the PostgreSQL read model. */
export interface ChangeProgress {
  /** in the event store: the PostgreSQL read model has applied it */
  applied: boolean;
  /** the projector refused it */
  deadLetter: { code: string; message: string } | null;
  /** the config's PostgreSQL version now (null: never existed) */
  version: number | null;
}

/** Read-your-writes: how far each read model has got with one config change. */
export class ChangeProgressReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly redis: RedisClient,
    private readonly versions: VersionSource,
  ) {}

  async inPostgres(
    event: { source: string; id: string },
    configId: string,
  ): Promise<ChangeProgress> {
    const rows: {
      applied: boolean;
      dead_letter: { code: string; message: string } | null;
      version: string | null;
    }[] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM event_keys WHERE source = $1 AND event_id = $2) AS applied,
              (SELECT json_build_object('code', code, 'message', message) FROM dead_letters
                WHERE source = $1 AND event_id = $2 ORDER BY id LIMIT 1) AS dead_letter,
              (SELECT version FROM ${this.versions.current().tables.configs} WHERE id = $3) AS version`,
      [event.source, event.id, configId],
    );
    const row = rows[0];
    const version = row.version === null ? null : Number(row.version);
    return { applied: row.applied, deadLetter: row.dead_letter, version };
  }

  /** The config version Redis holds (kept after a delete), null if none. */
  async versionInRedis(configId: string): Promise<number | null> {
    const version = await this.redis.hget(this.versions.current().keys.configVersions, configId);
    return version === null ? null : Number(version);
  }
}
