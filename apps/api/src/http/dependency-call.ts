import { GovernanceError } from '@app/governance';
import { ReadModelNotReadyError } from '@app/ledger';
import { ApiError } from './api-error';

export type Dependency = 'PostgreSQL' | 'Redis' | 'Kafka';

// SQLSTATE classes that mean "the database is not there": connection exceptions (08),
// operator intervention such as a shutdown (57) and insufficient resources (53).
const UNAVAILABLE_SQLSTATE_CLASSES = new Set(['08', '53', '57']);

/**
 * Runs one call to a dependency with a deadline. A dependency that is down or does not answer
 * becomes a 503 naming it; anything else (a bug, a constraint) propagates as it is.
 */
export async function callDependency<T>(
  dependency: Dependency,
  timeoutMs: number,
  call: () => Promise<T>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ApiError(
            'unavailable',
            `${dependency} is unavailable: no answer within ${timeoutMs} ms`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([call(), deadline]);
  } catch (error) {
    // A domain rule refusing the request (inside a read) is the request's fault, not an outage.
    if (error instanceof ApiError || error instanceof GovernanceError) throw error;
    // Redis is back but still empty: a partial answer would be a wrong one.
    if (error instanceof ReadModelNotReadyError) {
      throw new ApiError(
        'unavailable',
        `${dependency} is unavailable: the read model is being rebuilt`,
      );
    }
    if (!isOutage(dependency, error)) throw error;
    throw new ApiError('unavailable', `${dependency} is unavailable: ${reasonOf(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A failure that says the dependency is away, as opposed to one that says our request or our
 * code was wrong. Only a positive sign of an outage counts: anything else (a RangeError in a
 * presenter, a constraint, a Redis reply error) is a bug, answered 500 and logged, never
 * disguised as a 503.
 */
export function isOutage(dependency: Dependency, error: unknown): boolean {
  // Duck-typed, not `instanceof Error`: socket errors can come from another realm (e.g. jest).
  if (typeof error !== 'object' || error === null) return false;
  const { name, message } = error as { name?: unknown; message?: unknown };
  if (typeof name === 'string' && PROGRAMMING_ERRORS.has(name)) return false;
  if (NETWORK_ERROR_CODE.test(errorCodeOf(error))) return true;
  const text = typeof message === 'string' ? message : '';
  switch (dependency) {
    case 'PostgreSQL': {
      const code = sqlStateOf(error);
      if (code !== null) return UNAVAILABLE_SQLSTATE_CLASSES.has(code.slice(0, 2));
      return PG_CONNECTIVITY.test(text);
    }
    case 'Redis':
      return name === 'MaxRetriesPerRequestError' || REDIS_CONNECTIVITY.test(text);
    case 'Kafka':
      // kafkajs names all of its failures (connection, timeout, retries exhausted) KafkaJS*.
      return typeof name === 'string' && name.startsWith('KafkaJS');
  }
}

const PROGRAMMING_ERRORS = new Set(['TypeError', 'RangeError', 'SyntaxError', 'ReferenceError']);
// Socket-level failures of Node and its drivers: refused, reset, unreachable, timed out, DNS.
const NETWORK_ERROR_CODE =
  /^(ECONNREFUSED|ECONNRESET|ECONNABORTED|EPIPE|ETIMEDOUT|EHOSTUNREACH|EHOSTDOWN|ENETUNREACH|ENETDOWN|ENOTFOUND|EAI_AGAIN|ERR_SOCKET_\w+)$/;
// node-postgres and pg-pool say so in words when the connection is gone or never came.
const PG_CONNECTIVITY =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed|Cannot use a pool after calling end|Query read timeout)/;
// ioredis, when the connection is closed, not writable, or a command did not get an answer.
const REDIS_CONNECTIVITY =
  /^(Connection is closed|Stream isn't writeable|Command timed out|connect ETIMEDOUT|Reached the max retries per request limit)/;

function errorCodeOf(error: object): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : '';
}

function sqlStateOf(error: object): string | null {
  const own = (error as { code?: unknown }).code;
  const driver = (error as { driverError?: { code?: unknown } }).driverError?.code;
  for (const code of [driver, own]) {
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return null;
}

// Short and free of hosts or credentials: connection errors can carry the URL.
function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : 'connection failed';
}
