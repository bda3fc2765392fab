import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { DataSource } from 'typeorm';
import { createDataSource } from './data-source.factory';

@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        const dataSource = createDataSource({
          url: config.env.DATABASE_URL,
          poolSize: config.env.DATABASE_POOL_SIZE,
          applicationName: config.env.KAFKA_CLIENT_ID,
          // A batch transaction is far shorter; anything longer is a stuck server.
          statementTimeoutMs: 30_000,
          connectTimeoutMs: config.env.DEPENDENCY_TIMEOUT,
        });
        return dataSource.initialize();
      },
    },
  ],
  exports: [DataSource],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
