import { ApiError } from './api-error';
import { callDependency, isOutage } from './dependency-call';

describe('callDependency', () => {
  it('passes results through', async () => {
    await expect(callDependency('Redis', 100, async () => 7)).resolves.toBe(7);
  });

  it('turns a call that does not answer into a 503 naming the dependency', async () => {
    const hang = () => new Promise<never>(() => undefined);
    const error = await callDependency('PostgreSQL', 20, hang).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'unavailable', message: /PostgreSQL is unavailable/ });
  });

  it('turns a refused connection into a 503 without leaking the address', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    await expect(
      callDependency('PostgreSQL', 100, () => Promise.reject(refused)),
    ).rejects.toMatchObject({
      code: 'unavailable',
      message: 'PostgreSQL is unavailable: ECONNREFUSED',
    });
  });

  it('lets a query error through as a bug, not an outage', () => {
    const syntax = Object.assign(new Error('syntax error'), { driverError: { code: '42601' } });
    expect(isOutage('PostgreSQL', syntax)).toBe(false);
    const shutdown = Object.assign(new Error('terminating'), { code: '57P01' });
    expect(isOutage('PostgreSQL', shutdown)).toBe(true);
    const reply = Object.assign(new Error('WRONGTYPE'), { name: 'ReplyError' });
    expect(isOutage('Redis', reply)).toBe(false);
    expect(isOutage('Redis', new Error('Connection is closed.'))).toBe(true);
  });
});
