import { Query } from '@nestjs/cqrs';
import { ModelConfigPage } from '../read-model/model-config.reader';
import { ListParams } from './list-query-params';

export class ListModelConfigsQuery extends Query<ModelConfigPage> {
  constructor(
    readonly params: ListParams,
    /** the request time: decides which usage window is shown */
    readonly now: Date,
  ) {
    super();
  }
}
