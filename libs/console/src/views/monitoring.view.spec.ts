import { ChannelsReport, Incident } from '../console-monitoring.port';
import { alertsView, channelsView, incidentBanner } from './monitoring.view';

const incident = (id: string, cleared: boolean): Incident => ({
  id,
  condition: 'channel-stuck',
  subject: 'injus.detention-events.v1/3',
  tenant: null,
  raisedAt: '2026-12-02T10:00:00Z',
  clearedAt: cleared ? '2026-12-02T10:05:00Z' : null,
  notifiedAt: '2026-12-02T10:00:01Z',
  summary: '<b>not moving</b>',
});

describe('monitoring views', () => {
  it('marks a stuck partition, queue and recipient, and only those', () => {
    const report: ChannelsReport = {
      checkedAt: '2026-12-02T10:00:00Z',
      stuckAfterSeconds: 60,
      kafka: [
        {
          topic: 't',
          partition: 0,
          committedOffset: '5',
          endOffset: '5',
          lag: 0,
          oldestUnconsumedAgeSeconds: null,
          stuck: false,
          stuckSince: null,
        },
        {
          topic: 't',
          partition: 3,
          committedOffset: '7',
          endOffset: '12',
          lag: 5,
          oldestUnconsumedAgeSeconds: 95,
          stuck: true,
          stuckSince: '2026-12-02T09:58:30Z',
        },
      ],
      queues: [
        {
          queue: 'recipient.ops',
          depth: 0,
          consumers: 1,
          oldestMessageAgeSeconds: null,
          stuck: false,
          stuckSince: null,
        },
      ],
      recipients: [
        {
          recipientId: 'zorg-westland',
          tenant: 'westland',
          pending: 3,
          failing: 3,
          oldestPendingAgeSeconds: 300,
          nextAttemptAt: null,
          stuck: true,
          stuckSince: '2026-12-02T09:55:00Z',
        },
      ],
    };
    const out = channelsView(report).toString();
    expect(out.match(/data-stuck="true"/g)).toHaveLength(2);
    expect(out).toContain('data-partition="t/3"');
    expect(out).toContain('stuck since 2026-12-02 09:58:30Z');
  });

  it('shows active incidents apart from cleared ones, escaped, and counts the active ones in the banner', () => {
    const all = [incident('a', false), incident('b', true)];
    const out = alertsView(all).toString();
    expect(out).toContain('Active (1)');
    expect(out).not.toContain('<b>not moving</b>');
    expect(out).toContain('&lt;b&gt;not moving&lt;/b&gt;');
    expect(incidentBanner([all[0]]).toString()).toContain('data-active-incidents="1"');
    expect(incidentBanner([]).toString()).toBe('');
    expect(incidentBanner(null).toString()).toBe('');
  });
});
