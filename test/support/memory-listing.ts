import { AUTH, RunningApi } from './api-harness';

/** The model-config listing on one read path (`from_memory`) of an in-process API. */
export function listing(api: RunningApi, fromMemory: boolean) {
  return api
    .http()
    .get('/api/governance/model-configs')
    .query({ from_memory: String(fromMemory) })
    .set(AUTH);
}

/**
 * Polls the memory path until it answers `truth` (a listing body) and returns how long that
 * took. Every answer before must be a 503 with the API's error body: a 200 with anything else
 * (a Redis emptied and not yet rebuilt, listing nothing or part) is a wrong answer and fails.
 */
export async function memoryPathHealed(
  api: RunningApi,
  truth: unknown,
  timeoutMs: number,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    const memory = await listing(api, true);
    if (memory.status === 200) {
      expect(memory.body).toEqual(truth);
      return Date.now() - started;
    }
    expect(memory.status).toBe(503);
    expect(memory.body).toMatchObject({
      is_bifrost_error: false,
      status_code: 503,
      error: { message: expect.stringMatching(/^Redis is unavailable/) },
    });
    if (Date.now() - started > timeoutMs) {
      throw new Error(`the memory path still answers 503 after ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}
