import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { RedisModelConfigReadModel } from '@app/ledger';
import { ModelConfigReader } from './model-config.reader';

/** The Redis read model (`from_memory=true`): never touches PostgreSQL. */
@Injectable()
export class RedisModelConfigReader extends ModelConfigReader {
  constructor(readModel: RedisModelConfigReadModel, config: AppConfig) {
    super(readModel, 'redis', 'Redis', config.env.DEPENDENCY_TIMEOUT);
  }
}
