import { GOVERNANCE_ERROR_CODES, GovernanceError } from '@app/governance';
import { DEAD_LETTER_CODES } from './dead-letter-reason';
import {
  deadLetterCodeOf,
  deadLetterReasonOf,
  governanceCodeOf,
  isDeadLetterCode,
} from './governance-dead-letter';

describe('governance codes as dead-letter codes', () => {
  it('gives every governance code a dead-letter code', () => {
    expect(GOVERNANCE_ERROR_CODES.map(deadLetterCodeOf)).toEqual([
      'invalid_config',
      'identity_conflict',
      'config_not_found',
      'invalid_config',
      'version_conflict',
      'invalid_config',
    ]);
  });

  it('reads the rule-breaking dead letters back as the governance code they came from', () => {
    for (const code of ['identity_conflict', 'version_conflict', 'not_found'] as const) {
      expect(governanceCodeOf(deadLetterCodeOf(code))).toBe(code);
    }
    expect(
      DEAD_LETTER_CODES.map(governanceCodeOf).filter((c) => c !== 'invalid_model_config'),
    ).toHaveLength(3);
  });

  it('keeps the message of the error it dead-letters', () => {
    expect(deadLetterReasonOf(new GovernanceError('version_conflict', 'stale'))).toEqual({
      code: 'version_conflict',
      message: 'stale',
    });
  });

  it('tells the known codes from anything else', () => {
    expect(isDeadLetterCode('oversized')).toBe(true);
    expect(isDeadLetterCode('toString')).toBe(false);
  });
});
