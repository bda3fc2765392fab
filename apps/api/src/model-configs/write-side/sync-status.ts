import { ApiError } from '../../http/api-error';

/** Where a recorded config event stands in the read models. */
export interface EventProgress {
  /** in the event store: the PostgreSQL read model has applied it */
  applied: boolean;
  /** the projector refused it */
  deadLetter: { code: string; message: string } | null;
  /** the config's PostgreSQL version now (null: never existed) */
  version: number | null;
}

export type SyncStatus =
  { state: 'pending' } | { state: 'visible' } | { state: 'rejected'; error: ApiError };

/**
 * Read-your-writes: visible once PostgreSQL applied the event and Redis holds that version or
 * a newer one. A dead letter is the projector's verdict (it arbitrates concurrent creates).
 */
export function syncStatus(progress: EventProgress, redisVersion: number | null): SyncStatus {
  const letter = progress.deadLetter;
  if (letter !== null) {
    return { state: 'rejected', error: new ApiError(apiCodeOf(letter.code), letter.message) };
  }
  if (!progress.applied) return { state: 'pending' };
  if (progress.version === null) return { state: 'visible' };
  return redisVersion !== null && redisVersion >= progress.version
    ? { state: 'visible' }
    : { state: 'pending' };
}

/** The projector's verdicts that are not the caller's bad input. */
function apiCodeOf(deadLetterCode: string): 'conflict' | 'not_found' | 'bad_request' {
  switch (deadLetterCode) {
    case 'identity_conflict':
    case 'version_conflict':
      return 'conflict';
    case 'config_not_found':
      return 'not_found';
    default:
      return 'bad_request';
  }
}
