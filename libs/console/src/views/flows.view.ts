import { FlowsSnapshot } from '../console-flows.service';
import { ConsolePeriod } from '../console-period';
import { html, jsonScript, SafeHtml } from '../html';
import { fmtAge, fmtTime } from './layout.view';

export const INGRESS_CHANNELS = ['kafka', 'rabbitmq', 'http', 'replay'];

/** Every number of the diagram under one key, so the page and the live stream share one shape. */
export function flatCounts(s: FlowsSnapshot, recipients: string[]): Record<string, number> {
  const c = s.counts;
  const out: Record<string, number> = {
    'received.total': c.received.total,
    'stored.routed': c.stored.routed,
    'stored.unrouted': c.stored.unrouted,
    'stored.awaitingOrigin': c.stored.awaitingOrigin,
    'stored.withdrawn': c.stored.withdrawn,
    'deliveries.total': Object.values(c.deliveries).reduce((n, d) => n + d.published + d.pending, 0),
    'results.total': Object.values(c.results).reduce(
      (n, r) => n + Object.values(r).reduce((m, k) => m + k, 0),
      0,
    ),
    cases: s.cases,
  };
  if (c.rejected) {
    out['rejected.open'] = c.rejected.open;
    out['rejected.replayed'] = c.rejected.replayed;
  }
  for (const ch of INGRESS_CHANNELS) out[`received.${ch}`] = c.received.byChannel[ch] ?? 0;
  for (const r of recipients) {
    const d = c.deliveries[r] ?? { published: 0, pending: 0, failing: 0 };
    out[`recipient.${r}.published`] = d.published;
    out[`recipient.${r}.pending`] = d.pending;
    out[`recipient.${r}.failing`] = d.failing;
  }
  return out;
}

/** What the browser receives, on load and on every server-sent event. */
export function flowsPayload(s: FlowsSnapshot, recipients: string[]) {
  return { at: s.at, counts: flatCounts(s, recipients), rates: s.rates, lag: s.lag };
}

function n(key: string, counts: Record<string, number>, cls = 'n'): SafeHtml {
  return html`<span class="${cls}" data-count="${key}">${counts[key] ?? 0}</span>`;
}

export function flowsView(input: {
  snapshot: FlowsSnapshot;
  recipients: string[];
  tenants: string[] | null;
  tenant: string | null;
  period: ConsolePeriod;
  query: string;
  /** A custom period was asked for but not readable (or ended before it began). */
  refusedCustom?: boolean;
}): SafeHtml {
  const { snapshot, recipients, period } = input;
  const counts = flatCounts(snapshot, recipients);
  const rejected = snapshot.counts.rejected;
  return html` <form class="filters" method="get" action="/flows">
      ${
        input.tenants &&
        html`<label
          >Tenant
          <select name="tenant">
            <option value="">all tenants</option>
            ${input.tenants.map((t) => html`<option value="${t}" ${t === input.tenant ? 'selected' : ''}>${t}</option>`)}
          </select></label
        >`
      }
      <label
        >Period
        <select name="period">
          ${(
            [
              ['1h', 'last hour'],
              ['24h', 'last 24 hours'],
              ['7d', 'last 7 days'],
              ['custom', 'custom'],
            ] as const
          ).map(
            ([k, label]) =>
              html`<option value="${k}" ${k === period.key ? 'selected' : ''}>${label}</option>`,
          )}
        </select></label
      >
      <!-- The browser shows local time; the instants sent are the hidden fields, in UTC (console.js). -->
      <label
        >from <input type="datetime-local" data-for="from" data-utc="${period.from.toISOString()}"
      /></label>
      <label>to <input type="datetime-local" data-for="to" data-utc="${period.to.toISOString()}" /></label>
      <input type="hidden" name="from" value="${period.from.toISOString()}" />
      <input type="hidden" name="to" value="${period.to.toISOString()}" />
      <button>Show</button>
      <span class="live" id="live-status" title="updated by server-sent events"
        >live · <time id="flows-at">${fmtTime(snapshot.at)}</time></span
      >
    </form>

    ${
      input.refusedCustom &&
      html`<p class="notice unavailable">
        The custom period needs a start before its end; showing the last hour.
      </p>`
    }
    <section class="diagram" aria-label="Stages of the flow">
      <div class="stage">
        <h3>Ingress</h3>
        ${INGRESS_CHANNELS.map((ch) => html`<div class="box"><span class="label">${ch}</span>${n(`received.${ch}`, counts)}</div>`)}
        ${rejected && html`<div class="box bad"><span class="label">rejected (open)</span>${n('rejected.open', counts)}<small>replayed ${n('rejected.replayed', counts, 'm')}</small></div>`}
      </div>
      <div class="arrow">→</div>
      <div class="stage">
        <h3>Stored</h3>
        <div class="box big"><span class="label">received</span>${n('received.total', counts)}</div>
        <div class="box"><span class="label">awaiting origin</span>${n('stored.awaitingOrigin', counts)}</div>
        <div class="box"><span class="label">unrouted</span>${n('stored.unrouted', counts)}</div>
        <div class="box"><span class="label">withdrawn</span>${n('stored.withdrawn', counts)}</div>
      </div>
      <div class="arrow">→</div>
      <div class="stage">
        <h3>Routed</h3>
        <div class="box big"><span class="label">routed events</span>${n('stored.routed', counts)}</div>
        <div class="box"><span class="label">deliveries</span>${n('deliveries.total', counts)}</div>
      </div>
      <div class="arrow">→</div>
      <div class="stage recipients">
        <h3>Recipients</h3>
        ${recipients.map(
          (r) =>
            html`<div class="box recipient">
              <span class="label" title="${r}">${r}</span>${n(`recipient.${r}.published`, counts)}
              <small
                >pending ${n(`recipient.${r}.pending`, counts, 'm')} · failing
                ${n(`recipient.${r}.failing`, counts, 'm')}</small
              >
            </div>`,
        )}
      </div>
      <div class="arrow">→</div>
      <div class="stage">
        <h3>Results</h3>
        <div class="box big"><span class="label">connector results</span>${n('results.total', counts)}</div>
        ${Object.entries(snapshot.counts.results).map(
          ([type, outcomes]) =>
            html`<div class="box">
              <span class="label">${type.replace(/^nl\.nazorg\.connector\./, '')}</span>
              <small>${Object.entries(outcomes).map(([o, k]) => html`${o} ${k} `)}</small>
            </div>`,
        )}
      </div>
      <div class="arrow">→</div>
      <div class="stage">
        <h3>Cases</h3>
        <div class="box big"><span class="label">cases touched</span>${n('cases', counts)}</div>
      </div>
    </section>

    <section class="charts">
      <figure>
        <figcaption>Events received per minute, by ingress</figcaption>
        <div class="chart"><canvas id="chart-ingress"></canvas></div>
      </figure>
      <figure>
        <figcaption>Deliveries published per minute, by recipient</figcaption>
        <div class="chart"><canvas id="chart-recipients"></canvas></div>
      </figure>
    </section>

    <section>
      <h2>Lag: outbox not yet published</h2>
      <table class="grid" id="lag">
        <thead>
          <tr>
            <th>recipient</th>
            <th class="num">pending</th>
            <th class="num">failing</th>
            <th>oldest pending since</th>
            <th class="num">age</th>
          </tr>
        </thead>
        <tbody>
          ${lagRows(snapshot)}
        </tbody>
      </table>
    </section>
    ${jsonScript('flows-data', { stream: `/flows/stream?${input.query}`, ...flowsPayload(snapshot, recipients) })}`;
}

function lagRows(s: FlowsSnapshot): SafeHtml {
  if (!s.lag.length)
    return html`<tr>
      <td colspan="5" class="muted">nothing pending</td>
    </tr>`;
  return html`${s.lag.map(
    (l) =>
      html`<tr>
        <td>${l.recipientId}</td>
        <td class="num">${l.pending}</td>
        <td class="num">${l.failing}</td>
        <td>${fmtTime(l.oldestPendingAt)}</td>
        <td class="num">${fmtAge(l.oldestPendingAgeSeconds)}</td>
      </tr>`,
  )}`;
}
