import * as governance from '@app/governance';

describe('@app/governance public surface', () => {
  it.each([
    'parseDuration',
    'isPositiveDuration',
    'calendarUnitOf',
    'parseDollars',
    'formatDollars',
    'formatDollarsString',
    'windowStart',
    'windowEnd',
    'validateModelConfig',
    'normalizeModelConfig',
    'identityKey',
    'identityConflictMessage',
    'matchingIdentityKeys',
    'ChargeAccumulator',
    'trackedLimitsFor',
    'configHash',
    'budgetHash',
    'rateLimitHash',
  ])('exports the function %s through the path alias', (name) => {
    expect(typeof (governance as Record<string, unknown>)[name]).toBe('function');
  });

  it('exports the error class, its codes and the model constants', () => {
    expect(new governance.GovernanceError('not_found', 'x')).toBeInstanceOf(Error);
    expect(governance.GOVERNANCE_ERROR_CODES).toContain('invalid_model_config');
    expect(governance.SCOPES).toEqual(['global', 'virtual_key', 'user']);
    expect(governance.ALL_MODELS).toBe('*');
  });
});
