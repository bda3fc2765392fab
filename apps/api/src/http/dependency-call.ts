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
    if (error instanceof ApiError || !isOutage(dependency, error)) throw error;
    throw new ApiError('unavailable', `${dependency} is unavailable: ${reasonOf(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

/** A failure that says the dependency is away, as opposed to one that says our request was bad. */
export function isOutage(dependency: Dependency, error: unknown): boolean {
  // Duck-typed, not `instanceof Error`: socket errors can come from another realm (e.g. jest).
  if (typeof error !== 'object' || error === null) return false;
  if (dependency === 'Kafka') return true;
  if (dependency === 'Redis') return (error as { name?: unknown }).name !== 'ReplyError';
  const code = sqlStateOf(error);
  return code === null || UNAVAILABLE_SQLSTATE_CLASSES.has(code.slice(0, 2));
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
