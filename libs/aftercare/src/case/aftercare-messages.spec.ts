import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAppConfig, loadTenantsFile } from '@nazorg/config';
import { AftercareEventType, CloudEvent, stableUuid } from '@nazorg/contracts';
import { pseudonymizerFrom } from '@nazorg/privacy';
import { DeliveryPlanner, TenantDirectory } from '@nazorg/routing';
import { AftercareMessages } from './aftercare-messages';

/*
 * The hub's own messages: keyed ids, their cause and chain (CONTRACT section 1), and the
 * recipient's privacy profile (section 4), without services.
 */
const file = join(tmpdir(), `tenants-aftercare-messages-${process.pid}.yaml`);
writeFileSync(
  file,
  [
    'tenants:',
    '  - id: smal',
    '    name: Smal',
    '    municipalities: ["0363"]',
    '    recipients:',
    '      - { id: zorg-smal, kind: zorg, profile: { version: "2026-07", fields: [detentionId, care.areas] } }',
    '      - { id: coordinator-smal, kind: coordinator, profile: { version: "2026-08", fields: [startedAt] } }',
    '      - { id: zorg-breed, kind: zorg }',
  ].join('\n'),
);

function messages(key = 'a-pseudonym-key-of-the-test', previous = '') {
  const config = loadAppConfig({ PSEUDONYM_KEY: key, PSEUDONYM_PREVIOUS_KEYS: previous });
  const directory = new TenantDirectory(loadTenantsFile(file));
  const pseudonymizer = pseudonymizerFrom(config);
  return new AftercareMessages(
    directory,
    new DeliveryPlanner(directory, config, pseudonymizer),
    pseudonymizer,
  );
}

const cause = { id: 'release-scheduled-1', correlationid: 'release-scheduled-1' };
const now = new Date('2026-11-25T10:00:00Z');

describe('AftercareMessages', () => {
  it('derives ids with the pseudonym key: stable per detention, other under another key, not the unkeyed UUID', () => {
    const dpan = (key?: string) => messages(key).dpanAnswer('DJI-1', 'smal', {}, cause, now).id;
    expect(dpan()).toBe(dpan());
    expect(dpan()).not.toBe(dpan('another-pseudonym-key-entirely'));
    expect(dpan()).not.toBe(stableUuid('dpan-answer', 'DJI-1'));
    expect(dpan()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const alert = { deadline: 'screening', status: 'missed', dueOn: '2026-12-01' };
    const [first] = messages().deadlineAlert('DJI-1', 'smal', alert, cause, now);
    expect(first.id).not.toBe(
      stableUuid('deadline-alert', 'DJI-1', 'screening', 'missed', 'coordinator-smal'),
    );
  });

  it('keeps the ids of before a rotation as former ids, so a message planned then is not sent again', () => {
    const before = messages('the-pseudonym-key-before');
    const after = messages('the-pseudonym-key-after', 'the-pseudonym-key-before');
    const alert = { deadline: 'screening', status: 'missed', dueOn: '2026-12-01' };
    const [old] = before.deadlineAlert('DJI-1', 'smal', alert, cause, now);
    const [rotated] = after.deadlineAlert('DJI-1', 'smal', alert, cause, now);
    expect(rotated.id).toBe(
      messages('the-pseudonym-key-after').deadlineAlert('DJI-1', 'smal', alert, cause, now)[0].id,
    );
    expect(rotated.id).not.toBe(old.id);
    expect(rotated.formerIds).toEqual([old.id]);
    expect(after.dpanAnswer('DJI-1', 'smal', {}, cause, now).formerIds).toEqual([
      before.dpanAnswer('DJI-1', 'smal', {}, cause, now).id,
    ]);
    expect(old.formerIds).toEqual([]);
  });

  it('names the event it follows from and that event’s chain', () => {
    const chain = { id: 'result-9', correlationid: 'started-1' };
    const answer = messages().dpanAnswer('DJI-1', 'smal', { detentionId: 'DJI-1' }, chain, now);
    expect(answer.message).toMatchObject({
      correlationid: 'started-1',
      causationid: 'result-9',
      tenant: 'smal',
    });
    for (const e of messages().warmHandoverDue('DJI-1', 'smal', '2027-01-01', cause, now))
      expect(e.message).toMatchObject({
        correlationid: 'release-scheduled-1',
        causationid: 'release-scheduled-1',
      });
  });

  it('trims each message to the recipient’s narrowed profile and names the profile version', () => {
    const handovers = messages().warmHandoverDue('DJI-1', 'smal', '2027-01-01', cause, now);
    const byRecipient = Object.fromEntries(handovers.map((e) => [e.recipientId, e]));
    // zorg-smal may not see dates; zorg-breed keeps the zorg default.
    expect((byRecipient['zorg-smal'].message as CloudEvent).data).toEqual({ detentionId: 'DJI-1' });
    expect(byRecipient['zorg-smal'].disclosedPaths).toEqual(['detentionId']);
    expect(byRecipient['zorg-smal'].privacyProfileVersion).toBe('contract-v1.0/2026-07+aftercare-v2');
    expect((byRecipient['zorg-breed'].message as CloudEvent).data).toEqual({
      detentionId: 'DJI-1',
      expectedReleaseDate: '2027-01-01',
    });
    // The alert's own fields always go; the detention id only where the profile lets it.
    const [alert] = messages().deadlineAlert(
      'DJI-1',
      'smal',
      { deadline: 'screening', status: 'missed', dueOn: '2026-12-01' },
      cause,
      now,
    );
    expect(alert.recipientId).toBe('coordinator-smal');
    expect((alert.message as CloudEvent).data).toEqual({
      deadline: 'screening',
      status: 'missed',
      dueOn: '2026-12-01',
    });
    expect((alert.message as CloudEvent).type).toBe(AftercareEventType.DEADLINE_ALERT);
  });
});
