import { GOVERNANCE_ERROR_CODES, GovernanceError } from '@app/governance';
import { API_ERROR_CODES, bifrostErrorBody, fromGovernanceError, httpStatusOf } from './api-error';

describe('api errors', () => {
  it('gives every code a 4xx or 5xx status', () => {
    for (const code of API_ERROR_CODES) {
      expect(httpStatusOf(code)).toBeGreaterThanOrEqual(400);
    }
    expect(httpStatusOf('unavailable')).toBe(503);
    expect(httpStatusOf('invalid_json')).toBe(400);
  });

  it('maps every governance code, keeping its message', () => {
    const statuses = GOVERNANCE_ERROR_CODES.map((code) =>
      httpStatusOf(fromGovernanceError(new GovernanceError(code, 'why')).code),
    );
    expect(statuses).toEqual([400, 409, 404, 400, 409, 400]);
    expect(fromGovernanceError(new GovernanceError('identity_conflict', 'taken')).message).toBe(
      'taken',
    );
  });

  it("renders Bifrost's error body", () => {
    expect(bifrostErrorBody(404, 'Model config not found')).toEqual({
      is_bifrost_error: false,
      status_code: 404,
      error: { message: 'Model config not found' },
      extra_fields: {},
    });
  });
});
