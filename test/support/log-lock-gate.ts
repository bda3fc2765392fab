import { LOG_LOCK } from '@app/ledger';
import { DataSource, QueryRunner } from 'typeorm';
import { waitFor } from './wait-for';

/**
 * Holds the log lock exclusive on a connection of its own, as a build's join does: every batch
 * that appends to the event store (live, or a Kafka-sourced build's) waits on it. A test can
 * then catch a writer between two batches without timing, and let batches through one by one.
 */
export class LogLockGate {
  private runner: QueryRunner | null = null;

  constructor(private readonly ds: DataSource) {}

  async close(): Promise<void> {
    this.runner = this.ds.createQueryRunner();
    await this.runner.connect();
    await this.take(this.runner);
  }

  /**
   * Lets the waiting batch through, and only it: PostgreSQL grants the lock to the waiters at
   * the release, so the batch holds it shared before the gate asks again, and this resolves
   * once that batch committed (the next one waits).
   */
  async pass(): Promise<void> {
    const runner = this.held();
    await runner.commitTransaction();
    await this.take(runner);
  }

  async open(): Promise<void> {
    const runner = this.runner;
    this.runner = null;
    if (!runner) return;
    try {
      if (runner.isTransactionActive) await runner.commitTransaction();
    } finally {
      await runner.release();
    }
  }

  /** Waits until a writer waits at the gate: `shared` a batch, `exclusive` a watermark or join. */
  async waiter(timeoutMs?: number): Promise<'shared' | 'exclusive'> {
    return waitFor(
      'a writer waiting on the log lock',
      async () => {
        const waiting = (await this.locks()).find((l) => !l.granted);
        return waiting && (waiting.mode === 'ShareLock' ? 'shared' : 'exclusive');
      },
      timeoutMs,
    );
  }

  /** No session holds the log lock or waits for it (a killed writer's session has ended). */
  async idle(): Promise<boolean> {
    return (await this.locks()).length === 0;
  }

  private locks(): Promise<{ mode: string; granted: boolean }[]> {
    return this.ds.query(
      `SELECT mode, granted FROM pg_locks
        WHERE locktype = 'advisory' AND ((classid::bigint << 32) | objid::bigint) = $1`,
      [LOG_LOCK],
    );
  }

  private held(): QueryRunner {
    if (!this.runner) throw new Error('the gate is open');
    return this.runner;
  }

  private async take(runner: QueryRunner): Promise<void> {
    await runner.startTransaction();
    await runner.query('SELECT pg_advisory_xact_lock($1)', [LOG_LOCK]);
  }
}
