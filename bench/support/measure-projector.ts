import { Client } from 'pg';
import { BenchContext } from '../runner/scenario';
import { appliedRecords, freshDatabase, waitFor } from './bench-database';
import { BenchTopics, deleteRedisPrefix } from './bench-topics';
import { memoryMb, ProjectorProcess, serviceEnv } from './service-process';

export interface ProjectorRun {
  eventsPerSecond: number;
  startRssMb: number;
  peakRssMb: number;
}

export interface ProjectorPlan {
  /** a name unique in the bench run: consumer group and Redis prefix */
  name: string;
  topics: BenchTopics;
  /** records in the usage topic */
  records: number;
  processes?: number;
  env?: Record<string, string>;
  /** measure this long instead of to the last record (for the slow naive mode) */
  sampleMs?: number;
  /**
   * runs on the database after the last record, before it is dropped (exactness checks), the
   * projectors still running; `env` is theirs (database, Redis prefix, topics)
   */
  verify?: (db: Client, env: Record<string, string>) => Promise<void>;
}

/**
 * Runs compiled projector processes on a fresh database over preloaded topics. The clock
 * starts at the first committed usage batch (start-up and group joins are not ingest) and
 * stops when the stored positions cover every record.
 */
export async function measureProjector(
  ctx: BenchContext,
  plan: ProjectorPlan,
): Promise<ProjectorRun> {
  const { settings } = ctx;
  const db = await freshDatabase(settings.databaseUrl);
  const group = `bench-${settings.runId}-${plan.name}`;
  const prefix = `ul-bench-${settings.runId}-${plan.name}:`;
  const env = serviceEnv(settings, plan.topics, group, prefix, plan.env);
  const processes = Array.from(
    { length: plan.processes ?? 1 },
    (_, i) => new ProjectorProcess({ ...env, PROJECTOR_PORT: String(settings.projectorPort + i) }),
  );
  const applied = () => appliedRecords(db, `${group}.usage`);
  try {
    const spawned = performance.now();
    processes.forEach((p) => p.start());
    let n0 = 0;
    await waitFor('first usage batch', async () => (n0 = await applied()) > 0, 120_000, 20);
    const t0 = performance.now();
    ctx.log('projector applying', {
      name: plan.name,
      first_batch_after_s: Math.round((t0 - spawned) / 1000),
    });
    const startRssMb = Math.max(...processes.map((p) => memoryMb(p.pid!).current));
    let n1 = n0;
    if (plan.sampleMs) {
      await new Promise((r) => setTimeout(r, plan.sampleMs));
      n1 = await applied();
    } else {
      await waitFor(
        'every record applied',
        async () => (n1 = await applied()) >= plan.records,
        900_000,
        20,
      );
    }
    const seconds = (performance.now() - t0) / 1000;
    const peakRssMb = Math.max(...processes.map((p) => memoryMb(p.pid!).peak));
    await plan.verify?.(db, env);
    return { eventsPerSecond: (n1 - n0) / seconds, startRssMb, peakRssMb };
  } catch (error) {
    const logs = processes.map((p) => p.log.slice(-4000)).join('\n---\n');
    throw new Error(`${(error as Error).message}\nprojector log (tail):\n${logs}`);
  } finally {
    // A sampled (naive) run is cut off mid-batch: a graceful stop would first finish the batch.
    await Promise.all(processes.map((p) => (plan.sampleMs ? p.kill() : p.stop())));
    await db.end();
    await deleteRedisPrefix(settings.redisUrl, prefix);
  }
}
