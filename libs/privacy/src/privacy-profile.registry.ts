import { ConfigError, RecipientConfig } from '@nazorg/config';
import { RecipientKind } from '@nazorg/contracts';
import {
  DEFAULT_PRIVACY_PROFILES,
  DEFAULT_PRIVACY_PROFILES_VERSION,
  ProfileRule,
} from './default-privacy-profiles';

/** A recipient's effective profile and the version disclosure records name for it. */
export interface EffectiveProfile {
  rules: readonly ProfileRule[];
  /** `<defaults version>` or `<defaults version>/<recipient profile version>`. */
  version: string;
}

/**
 * The effective profile of each recipient: its kind's default, or a narrower list from the tenant
 * file. Built once at start-up; a profile that widens its kind's default stops the start.
 */
export class PrivacyProfileRegistry {
  private readonly profiles = new Map<string, EffectiveProfile>();

  constructor(recipients: RecipientConfig[]) {
    const problems: { key: string; message: string }[] = [];
    for (const recipient of recipients) {
      const defaults = DEFAULT_PRIVACY_PROFILES[recipient.kind];
      if (!recipient.profile) {
        this.profiles.set(recipient.id, { rules: defaults, version: DEFAULT_PRIVACY_PROFILES_VERSION });
        continue;
      }
      const byPath = new Map(defaults.map((rule) => [rule.path, rule]));
      const widening = recipient.profile.fields.filter((path) => !byPath.has(path));
      if (widening.length) {
        problems.push({
          key: `recipient ${recipient.id}.profile.fields`,
          message: `widens the ${recipient.kind} default with: ${widening.join(', ')}`,
        });
        continue;
      }
      this.profiles.set(recipient.id, {
        rules: recipient.profile.fields.map((path) => byPath.get(path) as ProfileRule),
        version: `${DEFAULT_PRIVACY_PROFILES_VERSION}/${recipient.profile.version}`,
      });
    }
    if (problems.length) throw new ConfigError('privacy profiles', problems);
  }

  profileOf(recipientId: string, kind: RecipientKind): readonly ProfileRule[] {
    return this.effectiveProfileOf(recipientId, kind).rules;
  }

  effectiveProfileOf(recipientId: string, kind: RecipientKind): EffectiveProfile {
    return (
      this.profiles.get(recipientId) ?? {
        rules: DEFAULT_PRIVACY_PROFILES[kind],
        version: DEFAULT_PRIVACY_PROFILES_VERSION,
      }
    );
  }
}
