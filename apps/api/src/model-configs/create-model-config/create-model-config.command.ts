import { Command } from '@nestjs/cqrs';
import { ModelConfigMutation } from '../write-side/model-config-mutation';

export class CreateModelConfigCommand extends Command<ModelConfigMutation> {
  constructor(
    /** the request body as parsed JSON, not yet validated */
    readonly body: unknown,
    readonly now: Date,
  ) {
    super();
  }
}
