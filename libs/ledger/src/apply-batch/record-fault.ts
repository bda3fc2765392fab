import { DeadLetterReason } from '@app/contracts';
import { storableText } from '@app/governance';

// SQLSTATE classes that only the data of a statement causes, never an outage: 22 (data
// exception: out of range, invalid text or JSON, untranslatable character), 54 (program limit
// exceeded: a value too large to index) and NOT NULL / CHECK violations. Connection loss,
// timeouts, deadlocks and serialization failures are classes 08, 57, 40, 53: retried.
const RECORD_FAULT_SQLSTATE = /^(22|54)|^2350[24]$/;

function sqlStateOf(error: unknown): string | null {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.code ?? e?.driverError?.code;
  return typeof code === 'string' ? code : null;
}

/**
 * Whether an error applying a batch is caused by what some record holds, so retrying the same
 * batch can never succeed. A RangeError (an invalid Date, a BigInt out of range) is pure
 * computation on record values, so it counts too.
 */
export function isRecordFault(error: unknown): boolean {
  if (error instanceof RangeError) return true;
  const state = sqlStateOf(error);
  return state !== null && RECORD_FAULT_SQLSTATE.test(state);
}

/** The dead-letter reason of a record the ledger could not process (a gap in validation). */
export function unprocessable(error: unknown): DeadLetterReason {
  const detail = error instanceof Error ? error.message : String(error);
  return {
    code: 'unprocessable',
    message: storableText(`the ledger could not process this record: ${detail}`),
  };
}
