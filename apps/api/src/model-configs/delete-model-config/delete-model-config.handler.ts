import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { modelConfigDeletedEnvelope } from '@app/contracts';
import { notFound } from '../../http/api-error';
import { PostgresModelConfigReader } from '../read-model/postgres-model-config.reader';
import { ConfigChangeRecorder } from '../write-side/config-change.recorder';
import { eventMeta, ModelConfigMutation } from '../write-side/model-config-mutation';
import { DeleteModelConfigCommand } from './delete-model-config.command';

/** Answers with the config as it was just before the delete. */
@CommandHandler(DeleteModelConfigCommand)
export class DeleteModelConfigHandler implements ICommandHandler<DeleteModelConfigCommand> {
  constructor(
    private readonly recorder: ConfigChangeRecorder,
    private readonly reader: PostgresModelConfigReader,
  ) {}

  async execute({ id, now }: DeleteModelConfigCommand): Promise<ModelConfigMutation> {
    const before = await this.reader.get(id, now);
    if (before.view === null) throw notFound();
    await this.recorder.record(modelConfigDeletedEnvelope(id, eventMeta(now)), id);
    return { ...before, view: before.view };
  }
}
