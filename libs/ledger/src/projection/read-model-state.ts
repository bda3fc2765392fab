import { EntityManager } from 'typeorm';

export interface ReadModelState {
  lastSeq: number;
  asOf: Date | null;
  configEpoch: number;
}

/**
 * Takes the projection lock. Every batch transaction holds it, so sequence numbers are
 * committed in order (replay and the Redis resync rely on that) and the config cache of
 * every projector instance stays exact.
 */
export async function lockReadModelState(m: EntityManager): Promise<ReadModelState> {
  const rows: { last_seq: string; as_of: Date | null; config_epoch: string }[] = await m.query(
    'SELECT last_seq, as_of, config_epoch FROM read_model_state WHERE id = 1 FOR UPDATE',
  );
  return toState(rows[0]);
}

export async function readReadModelState(m: EntityManager): Promise<ReadModelState> {
  const rows: { last_seq: string; as_of: Date | null; config_epoch: string }[] = await m.query(
    'SELECT last_seq, as_of, config_epoch FROM read_model_state WHERE id = 1',
  );
  return toState(rows[0]);
}

export async function saveReadModelState(m: EntityManager, state: ReadModelState): Promise<void> {
  await m.query(
    `UPDATE read_model_state SET last_seq = $1, as_of = $2, config_epoch = $3, updated_at = now()
      WHERE id = 1`,
    [state.lastSeq, state.asOf?.toISOString() ?? null, state.configEpoch],
  );
}

function toState(r: {
  last_seq: string;
  as_of: Date | null;
  config_epoch: string;
}): ReadModelState {
  return { lastSeq: Number(r.last_seq), asOf: r.as_of, configEpoch: Number(r.config_epoch) };
}
