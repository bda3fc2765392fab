import { alertIdOf, thresholdCrossedEnvelope } from '@app/contracts';
import { AccumulatedCharge, ThresholdCrossing, thresholdCrossings } from '@app/governance';
import { DataSource, EntityManager } from 'typeorm';
import { CounterValue } from '../snapshot/config-snapshot';

/** The crossings of a batch: each charged window's steps against its value after the upsert. */
export function crossingsOf(
  charges: readonly AccumulatedCharge[],
  after: readonly CounterValue[],
  thresholds: readonly number[],
): ThresholdCrossing[] {
  if (thresholds.length === 0) return [];
  const values = new Map(after.map((c) => [`${c.counterKey}\u0000${c.windowStart.getTime()}`, c]));
  return charges.flatMap((charge) => {
    const value = values.get(`${charge.counterKey}\u0000${charge.windowStart.getTime()}`);
    if (!value) return [];
    return thresholdCrossings(
      charge.limit,
      charge.windowStart,
      value.value,
      charge.steps,
      thresholds,
    );
  });
}

/**
 * Records crossings in the outbox, inside the batch's transaction: they commit with the counter
 * change or not at all. A crossing recorded before (same alert id) is left alone.
 */
export async function recordAlerts(
  m: EntityManager,
  crossings: readonly ThresholdCrossing[],
): Promise<void> {
  if (crossings.length === 0) return;
  const rows = crossings.map((c) => ({ c, envelope: thresholdCrossedEnvelope(c) }));
  await m.query(
    `INSERT INTO public.alert_outbox
       (alert_id, model_config_id, counter_key, window_start, threshold_percent, envelope)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::int[], $6::text[])
     ON CONFLICT (alert_id) DO NOTHING`,
    [
      rows.map((r) => alertIdOf(r.c)),
      rows.map((r) => r.c.limit.configId),
      rows.map((r) => r.c.limit.counterKey),
      rows.map((r) => r.c.windowStart.toISOString()),
      rows.map((r) => r.c.thresholdPercent),
      rows.map((r) => JSON.stringify(r.envelope)),
    ],
  );
}

export interface PendingAlert {
  id: string;
  key: string;
  envelope: string;
}

/**
 * The publishing side of the outbox. `publishPending` locks a slice of unpublished rows
 * (SKIP LOCKED: several projectors never publish the same row at once), hands them to `send`,
 * and marks them published in the same transaction: if `send` fails, they stay pending.
 */
export class AlertOutbox {
  constructor(private readonly dataSource: DataSource) {}

  publishPending(
    limit: number,
    send: (alerts: readonly PendingAlert[]) => Promise<void>,
  ): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const rows: { id: string; model_config_id: string; envelope: string }[] = await m.query(
        `SELECT id, model_config_id, envelope FROM public.alert_outbox
          WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      await send(rows.map((r) => ({ id: r.id, key: r.model_config_id, envelope: r.envelope })));
      await m.query(`UPDATE public.alert_outbox SET published_at = now() WHERE id = ANY($1)`, [
        rows.map((r) => r.id),
      ]);
      return rows.length;
    });
  }

  async pendingCount(): Promise<number> {
    const [row]: { n: string }[] = await this.dataSource.query(
      'SELECT count(*) AS n FROM public.alert_outbox WHERE published_at IS NULL',
    );
    return Number(row.n);
  }
}
