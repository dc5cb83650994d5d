import { ConfigError, RecipientConfig } from '@nazorg/config';
import { DEFAULT_PRIVACY_PROFILES_VERSION } from './default-privacy-profiles';
import { DISCLOSURE_GROUNDS, resolveDisclosureGrounds } from './legal-grounds';
import { PrivacyProfileRegistry } from './privacy-profile.registry';

const recipient = (fields?: string[]): RecipientConfig =>
  ({
    id: 'zorg-x',
    kind: 'zorg',
    channel: { type: 'rabbitmq' },
    profile: fields ? { version: '2026-07', fields } : undefined,
  }) as RecipientConfig;

describe('PrivacyProfileRegistry', () => {
  it('lets a recipient narrow its kind’s default', () => {
    const registry = new PrivacyProfileRegistry([recipient(['detentionId', 'care.areas'])]);
    expect(registry.profileOf('zorg-x', 'zorg').map((r) => r.path)).toEqual(['detentionId', 'care.areas']);
    // The consent gate travels with a narrowed path.
    expect(registry.profileOf('zorg-x', 'zorg')[1].when).toBe('consent.zorg');
  });

  it('refuses to start on a profile that widens the default, naming the recipient and the paths', () => {
    expect(() => new PrivacyProfileRegistry([recipient(['detentionId', 'person.bsn'])])).toThrow(ConfigError);
    expect(() => new PrivacyProfileRegistry([recipient(['person.bsn'])])).toThrow(/zorg-x.*person\.bsn/s);
  });

  it('names the version that decides: the defaults, or the defaults and the recipient profile', () => {
    const registry = new PrivacyProfileRegistry([recipient(['detentionId'])]);
    expect(registry.effectiveProfileOf('zorg-x', 'zorg').version).toBe(
      `${DEFAULT_PRIVACY_PROFILES_VERSION}/2026-07`,
    );
    expect(registry.effectiveProfileOf('brp-y', 'brp').version).toBe(DEFAULT_PRIVACY_PROFILES_VERSION);
  });
});

describe('resolveDisclosureGrounds', () => {
  it('keeps the defaults and takes the configured ground for a kind', () => {
    const ground = { processingActivity: 'nazorg.zorg', legalGround: 'Wmo 2015 art. 2.3.5' };
    const resolved = resolveDisclosureGrounds({ zorg: ground });
    expect(resolved.zorg).toEqual(ground);
    expect(resolved.brp).toEqual(DISCLOSURE_GROUNDS.brp);
  });
});
