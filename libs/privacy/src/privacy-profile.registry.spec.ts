import { ConfigError, RecipientConfig } from '@nazorg/config';
import { PrivacyProfileRegistry } from './privacy-profile.registry';

const recipient = (fields?: string[]): RecipientConfig =>
  ({
    id: 'zorg-x',
    kind: 'zorg',
    channel: { type: 'rabbitmq' },
    profile: fields ? { fields } : undefined,
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
});
