import { governanceCodeOf, isDeadLetterCode } from '@app/contracts';
import { GovernanceError } from '@app/governance';
import { ApiError, fromGovernanceError } from '../../http/api-error';

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
    return { state: 'rejected', error: verdictOf(letter) };
  }
  if (!progress.applied) return { state: 'pending' };
  if (progress.version === null) return { state: 'visible' };
  return redisVersion !== null && redisVersion >= progress.version
    ? { state: 'visible' }
    : { state: 'pending' };
}

/** The projector's verdict, through the one governance-to-HTTP map. */
function verdictOf(letter: { code: string; message: string }): ApiError {
  // A code this version does not know (a newer projector's) is still the caller's bad input.
  const code = isDeadLetterCode(letter.code)
    ? governanceCodeOf(letter.code)
    : 'invalid_model_config';
  return fromGovernanceError(new GovernanceError(code, letter.message));
}
