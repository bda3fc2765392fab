import { Module } from '@nestjs/common';
import { CreateModelConfigController } from './create-model-config/create-model-config.controller';
import { CreateModelConfigHandler } from './create-model-config/create-model-config.handler';
import { DeleteModelConfigController } from './delete-model-config/delete-model-config.controller';
import { DeleteModelConfigHandler } from './delete-model-config/delete-model-config.handler';
import { GetModelConfigController } from './get-model-config/get-model-config.controller';
import { GetModelConfigHandler } from './get-model-config/get-model-config.handler';
import { GetUsageHistoryController } from './get-usage-history/get-usage-history.controller';
import { GetUsageHistoryHandler } from './get-usage-history/get-usage-history.handler';
import { ListModelConfigsController } from './list-model-configs/list-model-configs.controller';
import { ListModelConfigsHandler } from './list-model-configs/list-model-configs.handler';
import { UpdateModelConfigController } from './update-model-config/update-model-config.controller';
import { UpdateModelConfigHandler } from './update-model-config/update-model-config.handler';
import { PostgresModelConfigReader } from './read-model/postgres-model-config.reader';
import { RedisModelConfigReader } from './read-model/redis-model-config.reader';
import { ConfigChangeRecorder } from './write-side/config-change.recorder';
import { ConfigEventPublisher } from './write-side/config-event.publisher';
import { ModelConfigStore } from './write-side/model-config.store';

/** The model-config use cases: two queries over either read model, usage history, three commands. */
@Module({
  controllers: [
    ListModelConfigsController,
    GetModelConfigController,
    GetUsageHistoryController,
    CreateModelConfigController,
    UpdateModelConfigController,
    DeleteModelConfigController,
  ],
  providers: [
    PostgresModelConfigReader,
    RedisModelConfigReader,
    ModelConfigStore,
    ConfigEventPublisher,
    ConfigChangeRecorder,
    ListModelConfigsHandler,
    GetModelConfigHandler,
    GetUsageHistoryHandler,
    CreateModelConfigHandler,
    UpdateModelConfigHandler,
    DeleteModelConfigHandler,
  ],
})
export class ModelConfigsModule {}
