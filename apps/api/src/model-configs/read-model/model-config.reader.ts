import { ConfigPage, ModelConfigReadModel, UsageValues } from '@app/ledger';
import { callDependency, Dependency } from '../../http/dependency-call';
import { ListParams } from '../list-model-configs/list-query-params';
import { presentModelConfig, UsageOf } from '../model-config.presenter';
import { ModelConfigListResponse, ModelConfigView } from '../model-config.view';

export type DataSourceName = 'postgres' | 'redis';

/** Which read model answered, and the time of the newest event it has applied. */
export interface Freshness {
  source: DataSourceName;
  asOf: Date | null;
}

export interface ModelConfigPage {
  response: ModelConfigListResponse;
  freshness: Freshness;
}

export interface ModelConfigRead {
  /** null: no live config with that id */
  view: ModelConfigView | null;
  freshness: Freshness;
}

/** A read that found its config. */
export type FoundModelConfig = ModelConfigRead & { view: ModelConfigView };

/**
 * The API's side of one read model (the ledger's port): each call bounded by
 * DEPENDENCY_TIMEOUT (503 when the store is away), the result presented as the API's views.
 */
export abstract class ModelConfigReader {
  protected constructor(
    private readonly readModel: ModelConfigReadModel,
    private readonly source: DataSourceName,
    private readonly dependency: Dependency,
    private readonly timeoutMs: number,
  ) {}

  list(params: ListParams, now: Date): Promise<ModelConfigPage> {
    return callDependency(this.dependency, this.timeoutMs, async () => {
      const page = await this.readModel.page(params, now);
      return { response: presentPage(page, params, now), freshness: this.freshness(page.asOf) };
    });
  }

  get(id: string, now: Date): Promise<ModelConfigRead> {
    return callDependency(this.dependency, this.timeoutMs, async () => {
      const read = await this.readModel.get(id, now);
      const view = read.snapshot && presentModelConfig(read.snapshot, usageOf(read.usage), now);
      return { view, freshness: this.freshness(read.asOf) };
    });
  }

  private freshness(asOf: Date | null): Freshness {
    return { source: this.source, asOf };
  }
}

function presentPage(page: ConfigPage, params: ListParams, now: Date): ModelConfigListResponse {
  const usage = usageOf(page.usage);
  const configs = page.snapshots.map((s) => presentModelConfig(s, usage, now));
  return {
    model_configs: configs,
    count: configs.length,
    total_count: page.total,
    limit: params.limit,
    offset: params.offset,
  };
}

function usageOf(values: UsageValues): UsageOf {
  return (counterKey) => values.get(counterKey) ?? 0n;
}
