import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { modelConfigUpsertedEnvelope } from '@app/contracts';
import { randomUUID } from 'node:crypto';
import { notFound } from '../../http/api-error';
import { PostgresModelConfigReader } from '../read-model/postgres-model-config.reader';
import { ConfigChangeRecorder } from '../write-side/config-change.recorder';
import { readModelConfigBody } from '../write-side/model-config-body';
import { eventMeta, ModelConfigMutation } from '../write-side/model-config-mutation';
import { ModelConfigStore } from '../write-side/model-config.store';
import { CreateModelConfigCommand } from './create-model-config.command';
import { newModelConfig } from './new-model-config';

@CommandHandler(CreateModelConfigCommand)
export class CreateModelConfigHandler implements ICommandHandler<CreateModelConfigCommand> {
  constructor(
    private readonly store: ModelConfigStore,
    private readonly recorder: ConfigChangeRecorder,
    private readonly reader: PostgresModelConfigReader,
  ) {}

  async execute({ body, now }: CreateModelConfigCommand): Promise<ModelConfigMutation> {
    const definition = newModelConfig(readModelConfigBody(body), randomUUID, now);
    await this.store.assertIdentityFree(definition);
    await this.recorder.record(
      modelConfigUpsertedEnvelope(definition, eventMeta(now)),
      definition.id,
    );
    const read = await this.reader.get(definition.id, new Date());
    // Deleted by someone else in the meantime: nothing to show.
    if (read.view === null) throw notFound();
    return { ...read, view: read.view };
  }
}
