import { Provider } from '@nestjs/common';
import { AppConfig, InvalidConfigError } from '@app/config';
import { API_KEY_DIGESTS } from '../api.tokens';
import { digestOf } from './bearer-auth';

/** Without a key nobody could use the API, and an open one is worse: refuse to start. */
export function apiKeyDigests(config: AppConfig): Buffer[] {
  const keys = config.env.GOVERNANCE_API_KEYS;
  if (keys.length === 0) {
    throw new InvalidConfigError([
      'GOVERNANCE_API_KEYS: set at least one API key (comma-separated) to serve /api/*',
    ]);
  }
  return keys.map(digestOf);
}

export const apiKeyDigestsProvider: Provider = {
  provide: API_KEY_DIGESTS,
  inject: [AppConfig],
  useFactory: apiKeyDigests,
};
