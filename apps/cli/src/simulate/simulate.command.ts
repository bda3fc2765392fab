import { AppConfig } from '@app/config';
import { withProducer } from '../produce/producer-session';
import { buildFleet } from './fleet-configs';
import { GatewayTraffic, TrafficMix } from './gateway-traffic';
import { publishPaced, PublishPlan } from './paced-publisher';
import { publishFleet } from './publish-fleet';
import { progressReporter } from './simulation-progress';

export interface SimulateOptions extends PublishPlan {
  configs: number;
  seed: number;
  mix: TrafficMix;
  /** the fleet's configs were published before: a steady load without a config change storm */
  usageOnly?: boolean;
}

const SOURCE = 'usage-ledger/simulate';

/**
 * `usage-ledger simulate`: a fleet of gateways. Publishes `--configs` model configs (stable
 * ids per seed), then usage at `--rate` records/s (0 = flat out) with retries, late events and
 * streamed chunks in the given shares.
 */
export async function simulateCommand(config: AppConfig, options: SimulateOptions): Promise<void> {
  const { topics } = config;
  await withProducer(config, 'usage-ledger-simulate', async ({ producer, stopped }) => {
    const fleet = buildFleet(options.configs, options.seed);
    if (!options.usageOnly) await publishFleet(producer, topics.config, fleet, SOURCE);
    const published = options.usageOnly ? 0 : fleet.configs.length;
    process.stderr.write(
      `${JSON.stringify({ msg: 'model configs published', configs: published, virtual_keys: fleet.virtualKeys.length, users: fleet.users.length })}\n`,
    );
    const traffic = new GatewayTraffic(fleet, options.mix, SOURCE, options.seed);
    const progress = progressReporter(options.records);
    await publishPaced(
      producer,
      topics.usage,
      (n, now) => traffic.take(n, now),
      options,
      () => progress.sent(traffic.stats),
      stopped,
    );
    progress.finish(traffic.stats);
  });
}
