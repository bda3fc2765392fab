import { ListParams } from '../list-model-configs/list-query-params';
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

/** One per read model; both give the same answer for the same state (see selectPage). */
export interface ModelConfigReader {
  list(params: ListParams, now: Date): Promise<ModelConfigPage>;
  get(id: string, now: Date): Promise<ModelConfigRead>;
}

/** A read that found its config. */
export type FoundModelConfig = ModelConfigRead & { view: ModelConfigView };
