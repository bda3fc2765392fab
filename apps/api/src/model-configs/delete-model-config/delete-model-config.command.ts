import { Command } from '@nestjs/cqrs';
import { ModelConfigMutation } from '../write-side/model-config-mutation';

export class DeleteModelConfigCommand extends Command<ModelConfigMutation> {
  constructor(
    readonly id: string,
    readonly now: Date,
  ) {
    super();
  }
}
