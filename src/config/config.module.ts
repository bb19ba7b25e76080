import { Global, Module } from '@nestjs/common';
import { AppConfig, loadConfigFromEnvironment } from './app-config';

@Global()
@Module({
  providers: [{ provide: AppConfig, useFactory: (): AppConfig => loadConfigFromEnvironment() }],
  exports: [AppConfig],
})
export class AppConfigModule {}
