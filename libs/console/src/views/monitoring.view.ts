import { ChannelsReport, Incident, InstanceReport } from '../console-monitoring.port';
import { html, SafeHtml } from '../html';
import { fmtAge, fmtTime } from './layout.view';

function stuck(s: { stuck: boolean; stuckSince: string | null }): SafeHtml {
  return s.stuck
    ? html`<span class="pill bad" data-stuck="true">stuck since ${fmtTime(s.stuckSince)}</span>`
    : html`<span class="pill ok">moving</span>`;
}

export function channelsView(c: ChannelsReport): SafeHtml {
  return html`<p class="muted">
      Checked ${fmtTime(c.checkedAt)}; anything not moving for more than ${c.stuckAfterSeconds} s is marked
      stuck.
    </p>
    <h2>Kafka partitions</h2>
    <table class="grid">
      <thead>
        <tr>
          <th>topic</th>
          <th class="num">partition</th>
          <th class="num">committed</th>
          <th class="num">end</th>
          <th class="num">lag</th>
          <th class="num">oldest unconsumed</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${c.kafka.map(
          (k) =>
            html`<tr data-partition="${k.topic}/${k.partition}">
              <td>${k.topic}</td>
              <td class="num">${k.partition}</td>
              <td class="num">${k.committedOffset}</td>
              <td class="num">${k.endOffset}</td>
              <td class="num">${k.lag}</td>
              <td class="num">${fmtAge(k.oldestUnconsumedAgeSeconds)}</td>
              <td>${stuck(k)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <h2>RabbitMQ queues</h2>
    <table class="grid">
      <thead>
        <tr>
          <th>queue</th>
          <th class="num">depth</th>
          <th class="num">consumers</th>
          <th class="num">oldest message</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${c.queues.map(
          (q) =>
            html`<tr data-queue="${q.queue}">
              <td>${q.queue}</td>
              <td class="num">${q.depth}</td>
              <td class="num">${q.consumers}</td>
              <td class="num">${fmtAge(q.oldestMessageAgeSeconds)}</td>
              <td>${stuck(q)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <h2>Recipients</h2>
    <table class="grid">
      <thead>
        <tr>
          <th>recipient</th>
          <th>tenant</th>
          <th class="num">pending</th>
          <th class="num">failing</th>
          <th class="num">oldest pending</th>
          <th>next attempt</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${c.recipients.map(
          (r) =>
            html`<tr data-recipient="${r.recipientId}">
              <td>${r.recipientId}</td>
              <td>${r.tenant ?? '–'}</td>
              <td class="num">${r.pending}</td>
              <td class="num">${r.failing}</td>
              <td class="num">${fmtAge(r.oldestPendingAgeSeconds)}</td>
              <td>${fmtTime(r.nextAttemptAt)}</td>
              <td>${stuck(r)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

const CONDITION_TEXT: Record<Incident['condition'], string> = {
  'channel-stuck': 'channel stuck',
  'recipient-failing': 'recipient keeps failing',
  'deadline-missed': 'deadline missed',
};

export function alertsView(incidents: Incident[]): SafeHtml {
  const active = incidents.filter((i) => !i.clearedAt);
  const cleared = incidents.filter((i) => i.clearedAt);
  const table = (rows: Incident[]) =>
    html`<table class="grid">
      <thead>
        <tr>
          <th>condition</th>
          <th>subject</th>
          <th>tenant</th>
          <th>summary</th>
          <th>raised</th>
          <th>notified</th>
          <th>cleared</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (i) =>
            html`<tr data-incident="${i.id}" class="${i.clearedAt ? 'cleared' : 'active'}">
              <td>${CONDITION_TEXT[i.condition] ?? i.condition}</td>
              <td><code>${i.subject}</code></td>
              <td>${i.tenant ?? '–'}</td>
              <td>${i.summary}</td>
              <td>${fmtTime(i.raisedAt)}</td>
              <td>${fmtTime(i.notifiedAt)}</td>
              <td>${fmtTime(i.clearedAt)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  return html`<h2>Active (${active.length})</h2>
    ${active.length ? table(active) : html`<p class="notice ok">No active incidents.</p>`}
    <h2>Cleared</h2>
    ${cleared.length ? table(cleared) : html`<p class="muted">none</p>`}`;
}

export function instancesView(instances: InstanceReport[]): SafeHtml {
  return html`<table class="grid">
    <thead>
      <tr>
        <th>app</th>
        <th>instance</th>
        <th>version</th>
        <th>host</th>
        <th class="num">pid</th>
        <th>started</th>
        <th class="num">uptime</th>
        <th>last heartbeat</th>
        <th>health</th>
      </tr>
    </thead>
    <tbody>
      ${instances.map(
        (i) =>
          html`<tr data-instance="${i.instanceId}">
            <td>${i.app}</td>
            <td><code>${i.instanceId}</code></td>
            <td>${i.version}</td>
            <td>${i.host}</td>
            <td class="num">${i.pid}</td>
            <td>${fmtTime(i.startedAt)}</td>
            <td class="num">${fmtAge(i.uptimeSeconds)}</td>
            <td>${fmtTime(i.lastHeartbeatAt)}</td>
            <td>
              ${i.healthy ? html`<span class="pill ok">healthy</span>` : html`<span class="pill bad">unhealthy</span>`}
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** The strip on every page: how many incidents are active, linking to the alerts view. */
export function incidentBanner(active: Incident[] | null): SafeHtml {
  if (active === null) return html``;
  if (!active.length) return html``;
  return html`<a class="banner" href="/alerts" data-active-incidents="${active.length}"
    ><strong>${active.length} active incident${active.length === 1 ? '' : 's'}</strong>:
    ${active
      .slice(0, 3)
      .map((i) => `${CONDITION_TEXT[i.condition] ?? i.condition} (${i.subject})`)
      .join(', ')}${active.length > 3 ? ', …' : ''}</a
  >`;
}
