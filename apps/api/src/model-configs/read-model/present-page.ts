import { ConfigSnapshot } from '@app/ledger';
import { ListParams } from '../list-model-configs/list-query-params';
import { presentModelConfig, UsageOf } from '../model-config.presenter';
import { ModelConfigListResponse } from '../model-config.view';
import { PageSelection } from './select-page';

/** The list body from a page's ids and their snapshots, in page order. */
export function presentPage(
  selection: PageSelection,
  snapshots: ReadonlyMap<string, ConfigSnapshot>,
  usageOf: UsageOf,
  params: ListParams,
  now: Date,
): ModelConfigListResponse {
  // A config deleted between reading the listing and its snapshot is left out of the page.
  const page = selection.ids.flatMap((id) => {
    const snapshot = snapshots.get(id);
    return snapshot ? [presentModelConfig(snapshot, usageOf, now)] : [];
  });
  return {
    model_configs: page,
    count: page.length,
    total_count: selection.total,
    limit: params.limit,
    offset: params.offset,
  };
}
