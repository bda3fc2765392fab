/** One service's state, as `stack status` prints it and `stack up` logs it. */
export interface ServiceReport {
  service: 'kafka' | 'postgres' | 'redis';
  up: boolean;
  /** where it is, and what was found or done there */
  detail: string;
}

export const statusLine = (r: ServiceReport): string =>
  `${r.service.padEnd(10)}${(r.up ? 'up' : 'down').padEnd(6)}${r.detail}`;

/** Hide the password of a connection URL in messages. */
export function maskUrl(url: string): string {
  return url.replace(/(:\/\/[^:/@]+):[^@/]*@/, '$1:***@');
}

/** A service's failure as one sentence (no stack trace: the operator acts on the sentence). */
export const reasonOf = (error: unknown): string =>
  error instanceof Error ? error.message || error.name : String(error);
