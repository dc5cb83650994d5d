import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import { pseudonymizerFrom } from './pseudonymizer';
import { PSEUDONYMIZER } from './pseudonymizer.port';

/**
 * The one pseudonymiser of an app (PSEUDONYMIZER), keyed from PSEUDONYM_KEY and
 * PSEUDONYM_PREVIOUS_KEYS (ADR 0023). Global; needs ConfigModule (global).
 */
@Global()
@Module({
  providers: [{ provide: PSEUDONYMIZER, useFactory: pseudonymizerFrom, inject: [AppConfig] }],
  exports: [PSEUDONYMIZER],
})
export class PrivacyModule {}
