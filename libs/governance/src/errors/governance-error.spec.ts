import { GOVERNANCE_ERROR_CODES, GovernanceError, invalidModelConfig } from './governance-error';

describe('GovernanceError', () => {
  it('carries its code and message and is an Error', () => {
    const error = new GovernanceError('not_found', 'Model config not found');

    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('not_found');
    expect(error.message).toBe('Model config not found');
    expect(error.name).toBe('GovernanceError');
  });

  it('lists every code once', () => {
    expect(new Set(GOVERNANCE_ERROR_CODES).size).toBe(GOVERNANCE_ERROR_CODES.length);
    expect(GOVERNANCE_ERROR_CODES).toEqual(
      expect.arrayContaining([
        'invalid_model_config',
        'identity_conflict',
        'not_found',
        'scope_immutable',
        'version_conflict',
      ]),
    );
  });

  it('builds invalid_model_config errors with the given message', () => {
    const error = invalidModelConfig('Model name is required');

    expect(error.code).toBe('invalid_model_config');
    expect(error.message).toBe('Model name is required');
  });
});
