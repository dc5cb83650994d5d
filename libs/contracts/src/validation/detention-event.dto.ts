import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ID_PATTERNS, ID_RULES } from './plausibility';
import { IsBsn, IsCalendarDate, IsRfc3339 } from './validators';

/*
 * Validating classes for the `data` of each event type (CONTRACT section 2). Unknown extra fields
 * are tolerated here (forward compatibility); the privacy filter is an allowlist, so they reach
 * no recipient. Messages name the rule, never the value.
 */

const MUNICIPALITY_CODE = /^\d{4}$/;
const municipalityMessage = { message: 'must be a 4-digit CBS municipality code' };
const text = (max = 200) => [IsString(), IsNotEmpty(), MaxLength(max)];
const apply =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) =>
    decorators.forEach((d) => d(target, key));
const Text = (max = 200) => apply(...text(max));
const OptionalText = (max = 200) => apply(IsOptional(), ...text(max));
const Enum = (values: readonly string[]) =>
  apply(IsDefined(), IsIn(values as string[], { message: `must be one of: ${values.join(', ')}` }));
const Nested = (cls: new () => object) =>
  apply(
    IsDefined(),
    IsObject(),
    ValidateNested(),
    Type(() => cls),
  );
const OptionalNested = (cls: new () => object) =>
  apply(
    IsOptional(),
    IsObject(),
    ValidateNested(),
    Type(() => cls),
  );
const Bool = () => apply(IsDefined(), IsBoolean());

export class DetentionIdDto {
  @Text(64)
  @Matches(ID_PATTERNS.detentionId, { message: ID_RULES.detentionId })
  detentionId: string;
}

export class PersonDto {
  @IsDefined()
  @IsBsn()
  bsn: string;
  @Text() givenNames: string;
  @OptionalText(50) familyNamePrefix?: string | null;
  @Text() familyName: string;
  @IsDefined() @IsCalendarDate() birthDate: string;
  @Enum(['M', 'V', 'X']) gender: string;
}

export class InstitutionDto {
  @Text(32) @Matches(ID_PATTERNS.institutionCode, { message: ID_RULES.institutionCode }) code: string;
  @Text() name: string;
}

export class CaseManagerDto {
  @Text() name: string;
  @OptionalText(50) phone?: string | null;
  @OptionalText() email?: string | null;
}

export class SupervisionDto {
  @Text(100) organisation: string;
}

export class FlagsDto {
  @Bool() topX: boolean;
  @Bool() pga: boolean;
  @Bool() bij: boolean;
}

export class DetentionStartedDto extends DetentionIdDto {
  @Nested(PersonDto) person: PersonDto;
  @Nested(InstitutionDto) institution: InstitutionDto;
  @IsDefined() @IsRfc3339() startedAt: string;
  @Enum(['preventief', 'veroordeeld', 'isd', 'tbs']) legalStatus: string;
  @IsOptional() @IsCalendarDate() expectedReleaseDate?: string | null;
  @IsDefined() @Matches(MUNICIPALITY_CODE, municipalityMessage) municipalityOfOrigin: string;
  @Nested(CaseManagerDto) caseManager: CaseManagerDto;
  @OptionalNested(SupervisionDto) supervision?: SupervisionDto | null;
  @Nested(FlagsDto) flags: FlagsDto;
}

export class IdentityDto {
  @Bool() hasValidId: boolean;
  @Enum(['id-card', 'passport', 'driving-licence', 'residence-permit', 'none', 'unknown'])
  documentType: string;
}

export class HousingDto {
  @Enum(['own-home', 'rental', 'with-family', 'homeless', 'institution', 'unknown']) situation: string;
  @Bool() atRiskOfLoss: boolean;
}

export class IncomeWorkDto {
  @Enum(['employed', 'benefit', 'none', 'unknown']) situation: string;
  @OptionalText(100) benefitType?: string | null;
}

export class DebtsDto {
  @Bool() hasDebts: boolean;
  @Bool() cjibDebt: boolean;
  @Enum(['<1000', '1000-10000', '>10000', 'unknown']) estimatedTotal: string;
  @Bool() wantsHelp: boolean;
}

export class CareDto {
  @Bool() needsCare: boolean;
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(10)
  @IsIn(['ggz', 'addiction', 'lvb', 'somatic', 'other'], {
    each: true,
    message: 'each must be one of: ggz, addiction, lvb, somatic, other',
  })
  areas: string[];
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  currentProviders: string[];
}

export class SocialNetworkDto {
  @Bool() supportive: boolean;
}

export class ConsentDto {
  @Bool() schuldhulp: boolean;
  @Bool() zorg: boolean;
}

export class ScreeningCompletedDto extends DetentionIdDto {
  @IsDefined() @IsRfc3339() screenedAt: string;
  @Nested(IdentityDto) identity: IdentityDto;
  @Nested(HousingDto) housing: HousingDto;
  @Nested(IncomeWorkDto) incomeWork: IncomeWorkDto;
  @Nested(DebtsDto) debts: DebtsDto;
  @Nested(CareDto) care: CareDto;
  @OptionalNested(SocialNetworkDto) socialNetwork?: SocialNetworkDto | null;
  @Nested(ConsentDto) consent: ConsentDto;
}

export class ReleaseScheduledDto extends DetentionIdDto {
  @IsDefined() @IsCalendarDate() expectedReleaseDate: string;
  @IsOptional() @IsCalendarDate() previousExpectedReleaseDate?: string | null;
}

export class DetentionTransferredDto extends DetentionIdDto {
  @IsDefined() @IsRfc3339() transferredAt: string;
  @Nested(InstitutionDto) from: InstitutionDto;
  @Nested(InstitutionDto) to: InstitutionDto;
}

export class AddressDto {
  @Text() street: string;
  @Text(16) houseNumber: string;
  @IsDefined()
  @Matches(/^\d{4} ?[A-Z]{2}$/, { message: 'must be a Dutch postal code (1234AB)' })
  postalCode: string;
  @Text() city: string;
}

export class DetentionReleasedDto extends DetentionIdDto {
  @IsDefined() @IsRfc3339() releasedAt: string;
  @Enum(['end-of-sentence', 'conditional-release', 'suspension', 'other']) releaseType: string;
  @IsOptional() @Matches(MUNICIPALITY_CODE, municipalityMessage) destinationMunicipality?: string | null;
  @OptionalNested(AddressDto) addressAfterRelease?: AddressDto | null;
  @Bool() supervisionContinues: boolean;
}

export class NotificationWithdrawnDto extends DetentionIdDto {
  @Text(500) reason: string;
}
