import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
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
  /**
   * The profile's own version (e.g. the date the agreement with the partner was signed). Disclosure
   * records name `<kind default version>/<this>`, so one can tell later which rule let a field out.
   */
  @Matches(/^[A-Za-z0-9._-]{1,40}$/, { message: 'must be a short version label' }) version: string;
  /** Field paths of the feed's `data` this recipient may receive; must be within its kind's default. */
  @IsArray() @IsString({ each: true }) @ArrayUnique() fields: string[];
}

/** Purpose and legal ground written into every disclosure record for one recipient kind. */
export class DisclosureGroundConfig {
  @Matches(/^[a-z0-9.-]{3,80}$/, { message: 'must be a dotted processing-activity id' })
  processingActivity: string;
  @IsString() @MinLength(3) legalGround: string;
}

/** Overrides of the default purpose and legal ground per recipient kind (docs/privacy.md). */
export class DisclosureGroundsConfig {
  @IsOptional() @ValidateNested() @Type(() => DisclosureGroundConfig) brp?: DisclosureGroundConfig;
  @IsOptional() @ValidateNested() @Type(() => DisclosureGroundConfig) income?: DisclosureGroundConfig;
  @IsOptional() @ValidateNested() @Type(() => DisclosureGroundConfig) schuldhulp?: DisclosureGroundConfig;
  @IsOptional() @ValidateNested() @Type(() => DisclosureGroundConfig) zorg?: DisclosureGroundConfig;
  @IsOptional() @ValidateNested() @Type(() => DisclosureGroundConfig) coordinator?: DisclosureGroundConfig;
  @IsOptional() @ValidateNested() @Type(() => DisclosureGroundConfig) ops?: DisclosureGroundConfig;
}

export const AFTERCARE_FLAGS = ['topX', 'pga', 'supervision'] as const;
export type AftercareFlag = (typeof AFTERCARE_FLAGS)[number];

/**
 * A tenant's aftercare policy. Every value has the national default (DOMAIN.md), so a tenant
 * writes only where it differs (Amersfoort: 90 days, Top X and PGA always; Westland: 10 days).
 */
export class TenantPolicyConfig {
  /** Detentions shorter than this get no aftercare duty, unless a flag below always qualifies. */
  @IsInt() @Min(0) @Max(3650) minimumDetentionDays = 0;
  @IsArray()
  @ArrayUnique()
  @IsIn(AFTERCARE_FLAGS, { each: true, message: `each must be one of: ${AFTERCARE_FLAGS.join(', ')}` })
  alwaysQualifyingFlags: AftercareFlag[] = [];
  /** The benefit is suspended for detentions up to this many days and stopped beyond (national: 30). */
  @IsInt() @Min(0) @Max(3650) benefitSuspendUpToDays = 30;
  /** Days before the expected release that the warm handover to care partners starts. */
  @IsInt() @Min(0) @Max(365) warmHandoverDaysBeforeRelease = 30;
  /**
   * Which partners the hub refers to (referral-requested) and, for zorg, warm-hands over to only with
   * the consent recorded at the latest screening (national: both). What a referral carries is still
   * the partner's privacy profile: no debts or care fields without consent, whatever this says.
   */
  @IsArray()
  @ArrayUnique()
  @IsIn(['schuldhulp', 'zorg'], { each: true, message: 'each must be schuldhulp or zorg' })
  consentRequiredFor: ('schuldhulp' | 'zorg')[] = ['schuldhulp', 'zorg'];
  /** How long aftercare runs after release (about three months, DOMAIN.md). */
  @IsInt() @Min(0) @Max(3650) aftercareDays = 91;
  /** Personal data is purged this many days after aftercare ends. */
  @IsInt() @Min(0) @Max(3650) retentionDaysAfterAftercare = 365;
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
  @ValidateNested() @Type(() => TenantPolicyConfig) policy: TenantPolicyConfig = new TenantPolicyConfig();
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
  /** Purpose and legal ground per recipient kind, where they differ from the defaults. */
  @ValidateNested()
  @Type(() => DisclosureGroundsConfig)
  disclosureGrounds: DisclosureGroundsConfig = new DisclosureGroundsConfig();
  /** The policy for detentions that belong to no tenant (unknown municipality): national defaults. */
  @ValidateNested() @Type(() => TenantPolicyConfig) defaultPolicy: TenantPolicyConfig =
    new TenantPolicyConfig();
}
