import { InvalidConfigError } from './app-config';

/** Runs a process's bootstrap; a bad configuration ends it with one line naming the variable. */
export function boot(bootstrap: () => Promise<void>): void {
  bootstrap().catch((error: unknown) => {
    if (error instanceof InvalidConfigError) {
      process.stderr.write(`usage-ledger: ${error.message}\n`);
    } else {
      process.stderr.write(`usage-ledger: failed to start: ${String(error)}\n`);
      if (error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    }
    process.exit(1);
  });
}
