import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig, loadAppConfig } from './app-config';
import { TenantsFile } from './tenant-config';
import { loadTenantsFile } from './tenants.loader';
import { WebhookSecrets } from './webhook-secrets';

export interface ConfigModuleOptions {
  /** Environment to read instead of process.env (tests). */
  env?: Record<string, string | undefined>;
}

/** Loads and validates all configuration once, at start-up, and fails fast on the first problem. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(options: ConfigModuleOptions = {}): DynamicModule {
    const env = options.env ?? process.env;
    const config = loadAppConfig(env);
    const tenants = loadTenantsFile(config.TENANTS_FILE);
    return {
      module: ConfigModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: TenantsFile, useValue: tenants },
        { provide: WebhookSecrets, useValue: new WebhookSecrets(env) },
      ],
      exports: [AppConfig, TenantsFile, WebhookSecrets],
    };
  }
}
