import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { modelConfigUpsertedEnvelope } from '@app/contracts';
import { randomUUID } from 'node:crypto';
import { notFound } from '../../http/api-error';
import { PostgresModelConfigReader } from '../read-model/postgres-model-config.reader';
import { ConfigChangeRecorder } from '../write-side/config-change.recorder';
import { readModelConfigBody } from '../write-side/model-config-body';
import { eventMeta, ModelConfigMutation } from '../write-side/model-config-mutation';
import { ModelConfigStore } from '../write-side/model-config.store';
import { applyUpdate } from './apply-update';
import { UpdateModelConfigCommand } from './update-model-config.command';

@CommandHandler(UpdateModelConfigCommand)
export class UpdateModelConfigHandler implements ICommandHandler<UpdateModelConfigCommand> {
  constructor(
    private readonly store: ModelConfigStore,
    private readonly recorder: ConfigChangeRecorder,
    private readonly reader: PostgresModelConfigReader,
  ) {}

  async execute({ id, body, now }: UpdateModelConfigCommand): Promise<ModelConfigMutation> {
    const input = readModelConfigBody(body);
    const current = await this.store.currentOf(id);
    const definition = applyUpdate(current.definition, input, randomUUID, now);
    await this.store.assertIdentityFree(definition);
    // Applies only over the version read here: a concurrent DELETE or PUT wins, this one gets
    // 404 or 409 instead of silently undoing it.
    const envelope = modelConfigUpsertedEnvelope(definition, eventMeta(now), current.version);
    await this.recorder.record(envelope, id);
    const read = await this.reader.get(id, new Date());
    if (read.view === null) throw notFound();
    return { ...read, view: read.view };
  }
}
