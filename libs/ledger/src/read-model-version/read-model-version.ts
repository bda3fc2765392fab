import { ReadModelTables } from './read-model-tables';
import { RedisKeys } from './redis-keys';

/** Injection token of the active ReadModelVersion. */
export const READ_MODEL_VERSION = Symbol('ReadModelVersion');

/**
 * Where one version of the read models lives: its PostgreSQL schema and its Redis keys. The
 * projector, the API and the resync all receive one of these; nothing spells a table or a key
 * without it. Version 1 is where the read models have always been (schema `public`); version
 * n > 1 lives in schema `read_model_v<n>`, so a replay can build n + 1 beside n and switch.
 */
export class ReadModelVersion {
  readonly tables: ReadModelTables;
  readonly keys: RedisKeys;

  constructor(
    readonly id: number,
    redisKeyPrefix: string,
  ) {
    if (!Number.isInteger(id) || id < 1) throw new Error(`Invalid read-model version ${id}`);
    this.tables = new ReadModelTables(ReadModelVersion.schemaOf(id));
    this.keys = new RedisKeys(redisKeyPrefix, id);
  }

  /** The PostgreSQL schema of version `id`. */
  static schemaOf(id: number): string {
    return id === 1 ? 'public' : `read_model_v${id}`;
  }

  /** A fixed version is its own VersionSource. */
  current(): ReadModelVersion {
    return this;
  }
}
