export interface Closable {
  close(): Promise<void>;
}

export interface ShutdownLogger {
  info(fields: object, msg: string): void;
  error(fields: object, msg: string): void;
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * SIGTERM/SIGINT close the app (consumers stop, the batch in flight finishes or is abandoned)
 * within `timeoutMs`, whatever state Kafka, PostgreSQL and Redis are in: past the deadline the
 * process exits anyway. Abandoning is safe: an uncommitted batch transaction rolls back when
 * the connection drops, and its records are consumed again from the position in PostgreSQL.
 * A second signal exits at once.
 */
export function closeOnSignals(app: Closable, timeoutMs: number, logger: ShutdownLogger): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      logger.error({ signal }, 'second signal during shutdown; exiting now');
      process.exit(1);
    }
    closing = true;
    logger.info({ signal, timeoutMs }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error(
        { signal, timeoutMs },
        'shutdown did not finish within SHUTDOWN_TIMEOUT; abandoning the work in flight',
      );
      process.exit(1);
    }, timeoutMs);
    app.close().then(
      () => {
        clearTimeout(deadline);
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
}
