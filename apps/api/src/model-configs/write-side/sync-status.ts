import { governanceCodeOf, isDeadLetterCode } from '@app/contracts';
import { GovernanceError } from '@app/governance';
import { ApiError, fromGovernanceError } from '../../http/api-error';
import { ChangeProgress } from '@app/ledger';

/** Where a recorded config event stands in the PostgreSQL read model. */
export type EventProgress = ChangeProgress;

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
