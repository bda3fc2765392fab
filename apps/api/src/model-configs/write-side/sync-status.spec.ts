import { syncStatus } from './sync-status';

describe('syncStatus', () => {
  const applied = { applied: true, deadLetter: null, version: 3 };

  it('waits for PostgreSQL, then for Redis to reach its version', () => {
    expect(syncStatus({ applied: false, deadLetter: null, version: null }, null).state).toBe(
      'pending',
    );
    expect(syncStatus(applied, null).state).toBe('pending');
    expect(syncStatus(applied, 2).state).toBe('pending');
    expect(syncStatus(applied, 3).state).toBe('visible');
    expect(syncStatus(applied, 4).state).toBe('visible');
  });

  it('takes a dead letter as the verdict: identity conflict 409, anything else 400', () => {
    const conflict = syncStatus(
      {
        applied: false,
        deadLetter: { code: 'identity_conflict', message: 'exists' },
        version: null,
      },
      null,
    );
    expect(conflict).toMatchObject({
      state: 'rejected',
      error: { code: 'conflict', message: 'exists' },
    });
    const invalid = syncStatus(
      { applied: false, deadLetter: { code: 'invalid_config', message: 'bad' }, version: null },
      null,
    );
    expect(invalid).toMatchObject({ state: 'rejected', error: { code: 'bad_request' } });
  });

  it.each([
    ['version_conflict', 'conflict'],
    ['config_not_found', 'not_found'],
  ])('answers a stale update dead-lettered as %s with %s', (letterCode, apiCode) => {
    const status = syncStatus(
      { applied: false, deadLetter: { code: letterCode, message: 'stale' }, version: 3 },
      null,
    );
    expect(status).toMatchObject({ state: 'rejected', error: { code: apiCode } });
  });
});
