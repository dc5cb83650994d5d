import { ConfigError, RecipientConfig } from '@nazorg/config';
import { RecipientKind } from '@nazorg/contracts';
import { DEFAULT_PRIVACY_PROFILES, ProfileRule } from './default-privacy-profiles';

/**
 * The effective profile of each recipient: its kind's default, or a narrower list from the tenant
 * file. Built once at start-up; a profile that widens its kind's default stops the start.
 */
export class PrivacyProfileRegistry {
  private readonly profiles = new Map<string, readonly ProfileRule[]>();

  constructor(recipients: RecipientConfig[]) {
    const problems: { key: string; message: string }[] = [];
    for (const recipient of recipients) {
      const defaults = DEFAULT_PRIVACY_PROFILES[recipient.kind];
      if (!recipient.profile) {
        this.profiles.set(recipient.id, defaults);
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
      this.profiles.set(
        recipient.id,
        recipient.profile.fields.map((path) => byPath.get(path) as ProfileRule),
      );
    }
    if (problems.length) throw new ConfigError('privacy profiles', problems);
  }

  profileOf(recipientId: string, kind: RecipientKind): readonly ProfileRule[] {
    return this.profiles.get(recipientId) ?? DEFAULT_PRIVACY_PROFILES[kind];
  }
}
