import pino from 'pino';

export interface LoggerOptions {
  level: string;
  format: 'json' | 'pretty';
}

/** Structured JSON logs by default; `pretty` for a developer's terminal. */
export function createLogger(options: LoggerOptions): pino.Logger {
  return pino({
    level: options.level,
    base: { service: 'usage-ledger' },
    transport: options.format === 'pretty' ? { target: 'pino-pretty' } : undefined,
  });
}
