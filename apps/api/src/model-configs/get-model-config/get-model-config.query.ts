import { Query } from '@nestjs/cqrs';
import { FoundModelConfig } from '../read-model/model-config.reader';

export class GetModelConfigQuery extends Query<FoundModelConfig> {
  constructor(
    readonly id: string,
    readonly fromMemory: boolean,
    readonly now: Date,
  ) {
    super();
  }
}
