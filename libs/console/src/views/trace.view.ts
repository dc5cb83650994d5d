import { CaseTrace, TraceDelivery } from '../case-trace.service';
import { html, SafeHtml } from '../html';
import { fmtMs, fmtTime } from './layout.view';

export function traceForm(ref: string, hint: string): SafeHtml {
  return html`<form class="filters" method="get" action="/trace">
    <label
      >Case reference <input name="ref" value="${ref}" size="40" placeholder="p-…" autocomplete="off"
    /></label>
    <button>Trace</button><span class="muted">${hint}</span>
  </form>`;
}

function deliveries(rows: TraceDelivery[]): SafeHtml {
  if (!rows.length) return html`<p class="muted">no deliveries</p>`;
  return html`<table class="grid hops">
    <thead>
      <tr>
        <th>recipient</th>
        <th>kind</th>
        <th>outbox row</th>
        <th>published</th>
        <th class="num">took</th>
        <th class="num">attempts</th>
        <th>next attempt</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (d) =>
          html`<tr data-hop="delivery">
            <td>${d.recipientId}</td>
            <td>${d.recipientKind}${d.type && html` <span class="muted">${d.type}</span>`}</td>
            <td>${fmtTime(d.createdAt)}</td>
            <td>${d.publishedAt ? fmtTime(d.publishedAt) : html`<span class="pill warn">pending</span>`}</td>
            <td class="num">${fmtMs(d.publishMs)}</td>
            <td class="num">${d.attempts}</td>
            <td>${fmtTime(d.nextAttemptAt)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function traceView(trace: CaseTrace): SafeHtml {
  return html`<section class="trace" data-trace="${trace.ref}">
    <p>
      Case <code>${trace.ref}</code> · tenant ${trace.tenant ?? '–'} · ${trace.events.length} events ·
      ${trace.results.length} connector results
    </p>
    <ol class="timeline">
      ${trace.events.map(
        (e) =>
          html`<li data-hop="event">
            <h3>${e.type} <span class="muted">via ${e.channel} from ${e.source}</span></h3>
            <p>
              event time ${fmtTime(e.eventTime)} → received and stored ${fmtTime(e.receivedAt)}
              (${fmtMs(e.ingestMs)}) · ${e.routingStatus}
            </p>
            ${deliveries(e.deliveries)}
          </li>`,
      )}
    </ol>
    <h2>Connector results</h2>
    ${
      trace.results.length
        ? html`<table class="grid">
            <thead>
              <tr>
                <th>result</th>
                <th>from</th>
                <th>outcome</th>
                <th>result time</th>
                <th>received</th>
              </tr>
            </thead>
            <tbody>
              ${trace.results.map(
                (r) =>
                  html`<tr data-hop="result">
                    <td>${r.type}</td>
                    <td>${r.recipientId}</td>
                    <td>${r.outcome}</td>
                    <td>${fmtTime(r.eventTime)}</td>
                    <td>${fmtTime(r.receivedAt)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
        : html`<p class="muted">none yet</p>`
    }
    <h2>Case</h2>
    ${
      trace.case
        ? html`<dl data-hop="case">
              <dt>status</dt>
              <dd>${trace.case.status}</dd>
              <dt>projected</dt>
              <dd>${fmtTime(trace.case.updatedAt)}</dd>
              <dt>municipal answer</dt>
              <dd>${fmtTime(trace.case.dpanAnsweredAt)}</dd>
              <dt>problems</dt>
              <dd>${trace.case.problems.join(', ') || '–'}</dd>
              <dt>referrals</dt>
              <dd>${trace.case.referrals.join(', ') || '–'}</dd>
            </dl>
            <h3>Sent by the hub for this case</h3>
            ${deliveries(trace.caseOutputs)}`
        : html`<p class="muted">not projected yet</p>`
    }
  </section>`;
}
