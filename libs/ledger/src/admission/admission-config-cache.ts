import { RedisClient } from '@app/redis';
import { ConfigIndex } from '../config-index/config-index';
import { decodeSnapshot } from '../redis-projection/redis-config-row';
import { AdmissionKeys } from './admission-keys';

export interface AdmissionConfigs {
  /** the meta `config_gen` the index was read at ('' while Redis has no read model) */
  generation: string;
  index: ConfigIndex;
}

/**
 * The live configs as the Redis read model holds them, kept in memory between config changes.
 * The admission script compares the generation it was planned with to Redis's and refuses a
 * stale plan, so a decision never uses configs older than the ones Redis holds at that moment.
 */
export class AdmissionConfigCache {
  private current: AdmissionConfigs | null = null;
  private loading: Promise<AdmissionConfigs> | null = null;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: AdmissionKeys,
  ) {}

  get(): Promise<AdmissionConfigs> {
    return this.current ? Promise.resolve(this.current) : this.reload();
  }

  /** Redis holds another generation: the next get() reads the configs again. */
  invalidate(seen: string): void {
    if (this.current?.generation === seen) this.current = null;
  }

  private reload(): Promise<AdmissionConfigs> {
    // One read for all the requests that found the cache stale at once.
    this.loading ??= this.read().finally(() => (this.loading = null));
    return this.loading;
  }

  private async read(): Promise<AdmissionConfigs> {
    const { meta, configs } = this.keys.readModel;
    const results = await this.redis
      .multi()
      .hget(meta, 'config_gen')
      .exists(meta)
      .hvals(configs)
      .exec();
    const failed = results?.find(([error]) => error !== null)?.[0];
    if (!results || failed) throw failed ?? new Error('Redis transaction aborted');
    const [gen, exists, values] = results.map(([, value]) => value) as [
      string | null,
      number,
      string[],
    ];
    const generation = gen ?? (exists === 1 ? '0' : '');
    this.current = { generation, index: new ConfigIndex(values.map(decodeSnapshot)) };
    return this.current;
  }
}
