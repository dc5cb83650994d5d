import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  ValidateNested,
} from 'class-validator';
import { ALL_RECIPIENT_KINDS, RecipientKind } from '@nazorg/contracts';

/*
 * The declarative tenant file (config/tenants.*.yaml): tenants, their municipalities and their
 * recipients. Per-municipality policy lives here, never in code.
 */

const ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
const idMessage = { message: 'must be lower-case letters, digits and dashes' };

export class ChannelConfig {
  @IsIn(['rabbitmq', 'webhook']) type: 'rabbitmq' | 'webhook' = 'rabbitmq';
  /** Webhook only: where to POST, and the environment variable that holds the signing secret. */
  @IsOptional() @IsUrl({ require_tld: false }) url?: string;
  @IsOptional() @IsString() secretEnv?: string;
}

export class PrivacyProfileConfig {
  /** Field paths of the feed's `data` this recipient may receive; must be within its kind's default. */
  @IsArray() @IsString({ each: true }) @ArrayUnique() fields: string[];
}

export class RecipientConfig {
  @Matches(ID, idMessage) id: string;
  @IsIn(ALL_RECIPIENT_KINDS, { message: `must be one of: ${ALL_RECIPIENT_KINDS.join(', ')}` })
  kind: RecipientKind;
  @ValidateNested() @Type(() => ChannelConfig) channel: ChannelConfig = new ChannelConfig();
  @IsOptional() @ValidateNested() @Type(() => PrivacyProfileConfig) profile?: PrivacyProfileConfig;
}

export class TenantConfig {
  @Matches(ID, idMessage) id: string;
  @IsString() name: string;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @Matches(/^\d{4}$/, { each: true, message: 'each must be a 4-digit CBS municipality code' })
  municipalities: string[];
  @IsArray() @ValidateNested({ each: true }) @Type(() => RecipientConfig) recipients: RecipientConfig[];
}

export class TenantsFile {
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => TenantConfig)
  tenants: TenantConfig[];
  /** Recipients that see every tenant's flow (kind `ops` only: pseudonymised). */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => RecipientConfig)
  sharedRecipients: RecipientConfig[] = [];
}
