import type { Response } from 'express';
import { ModelConfigPage } from '../read-model/model-config.reader';
import { ModelConfigListResponse } from '../model-config.view';
import { freshnessHeaders } from '../read-model/freshness-headers';
import { ListModelConfigsQuery } from './list-model-configs.query';
import { parseListParams, RawQuery } from './list-query-params';

/** The list route's work, shared by its controller and its direct route: one behaviour. */
export async function serveList(
  execute: (query: ListModelConfigsQuery) => Promise<ModelConfigPage>,
  query: RawQuery,
  res: Response,
): Promise<ModelConfigListResponse> {
  const now = new Date();
  const page = await execute(new ListModelConfigsQuery(parseListParams(query), now));
  res.set(freshnessHeaders(page.freshness, now));
  return page.response;
}
