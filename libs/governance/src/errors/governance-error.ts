/**
 * Every code a governance rule can fail with: the one vocabulary of the domain's errors. Each
 * transport maps it once, exhaustively: to HTTP (apps/api api-error.ts) and to dead-letter codes
 * (libs/contracts governance-dead-letter.ts).
 */
export const GOVERNANCE_ERROR_CODES = [
  'invalid_model_config',
  'identity_conflict',
  'not_found',
  'scope_immutable',
  'version_conflict',
  'invalid_history_range',
] as const;
export type GovernanceErrorCode = (typeof GOVERNANCE_ERROR_CODES)[number];

export class GovernanceError extends Error {
  constructor(
    readonly code: GovernanceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'GovernanceError';
  }
}

export const invalidModelConfig = (message: string): GovernanceError =>
  new GovernanceError('invalid_model_config', message);
