import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { PostgresModelConfigReadModel } from '@app/ledger';
import { ModelConfigReader } from './model-config.reader';

/** The PostgreSQL read model (the default). */
@Injectable()
export class PostgresModelConfigReader extends ModelConfigReader {
  constructor(readModel: PostgresModelConfigReadModel, config: AppConfig) {
    super(readModel, 'postgres', 'PostgreSQL', config.env.DEPENDENCY_TIMEOUT);
  }
}
