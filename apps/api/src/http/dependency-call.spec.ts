import { GovernanceError } from '@app/governance';
import { ReadModelNotReadyError } from '@app/ledger';
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

  it('turns a Redis read model being rebuilt into a 503, never a partial answer', async () => {
    const notReady = () => Promise.reject(new ReadModelNotReadyError());
    await expect(callDependency('Redis', 100, notReady)).rejects.toMatchObject({
      code: 'unavailable',
      message: 'Redis is unavailable: the read model is being rebuilt',
    });
  });

  it('lets a domain rule refusing the request through, not as an outage', async () => {
    const refusal = new GovernanceError('invalid_history_range', 'Too many windows');
    await expect(callDependency('PostgreSQL', 100, () => Promise.reject(refusal))).rejects.toBe(
      refusal,
    );
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

  it('reports a bug inside a dependency call as a bug, never as an outage', async () => {
    const bugs = [
      new RangeError('Invalid time value'),
      new TypeError("Cannot read properties of undefined (reading 'id')"),
      new Error('something we did not expect'),
    ];
    for (const dependency of ['PostgreSQL', 'Redis', 'Kafka'] as const) {
      for (const bug of bugs) {
        expect([dependency, bug.message, isOutage(dependency, bug)]).toEqual([
          dependency,
          bug.message,
          false,
        ]);
        await expect(callDependency(dependency, 100, () => Promise.reject(bug))).rejects.toBe(bug);
      }
    }
  });

  it('recognises the ways the drivers say a dependency is away', () => {
    const outages: [Parameters<typeof isOutage>[0], unknown][] = [
      ['PostgreSQL', new Error('Connection terminated unexpectedly')],
      ['PostgreSQL', new Error('timeout exceeded when trying to connect')],
      ['PostgreSQL', Object.assign(new Error('canceling statement'), { code: '57014' })],
      ['PostgreSQL', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
      ['Redis', new Error('Connection is closed.')],
      ['Redis', Object.assign(new Error('x'), { name: 'MaxRetriesPerRequestError' })],
      ['Redis', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
      ['Kafka', Object.assign(new Error('Connection error'), { name: 'KafkaJSConnectionError' })],
      ['Kafka', Object.assign(new Error('retries'), { name: 'KafkaJSNumberOfRetriesExceeded' })],
    ];
    for (const [dependency, error] of outages) expect(isOutage(dependency, error)).toBe(true);
  });
});
