export * from './model/model-config';
export * from './model/tracked-limit';
export * from './model/usage';
export * from './errors/governance-error';
export * from './duration/parse-duration';
export * from './money/nanos';
export * from './window/window-start';
export * from './limits-of-input/storable-text';
export * from './limits-of-input/supported-ranges';
export * from './window/windows-overlapping';
export * from './history/usage-history';
export * from './alerts/threshold-crossings';
export {
  validateModelConfig,
  normalizeModelConfig,
} from './config-validation/validate-model-config';
export { MAX_IDENTIFIER_LENGTH } from './config-validation/check-length';
export * from './matching/matching-identities';
export * from './identity/identity-conflict-message';
export * from './charging/charge-amount';
export * from './charging/charge-accumulator';
export * from './limits/reconcile-limits';
export { configHash, budgetHash, rateLimitHash } from './config-hash/config-hash';
export * from './search/fold-search-text';
export * from './admission/admission-request';
export * from './admission/plan-admission';
