import { DeadLetterView, ReplayOutcome } from '@nazorg/operations';
import { attemptsOf, DeadLetterGroup } from '../dead-letter-groups';
import { html, SafeHtml } from '../html';
import { fmtTime } from './layout.view';

export function failuresView(groups: DeadLetterGroup[], csrf: string): SafeHtml {
  if (!groups.length)
    return html`<p class="notice ok">No open dead letters.</p>
      <div id="replay-outcome"></div>`;
  return html` <p class="muted">
      Open dead letters grouped by cause. Payloads are never shown; replay sends the stored input through
      ingestion again.
    </p>
    <div id="replay-outcome" aria-live="polite"></div>
    <table class="grid groups">
      <thead>
        <tr>
          <th>channel</th>
          <th>reason</th>
          <th class="num">count</th>
          <th>first seen</th>
          <th>last seen</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${groups.map(
          (g) =>
            html`<tr class="group" data-group="${g.key}">
              <td>${g.channel}</td>
              <td>${g.reasons.map((r) => html`<div class="reason">${r}</div>`)}</td>
              <td class="num" data-group-count>${g.count}</td>
              <td>${fmtTime(g.firstSeen)}</td>
              <td>${fmtTime(g.lastSeen)}</td>
              <td>
                <form hx-post="/failures/replay" hx-target="#replay-outcome">
                  <input type="hidden" name="_csrf" value="${csrf}" /><input
                    type="hidden"
                    name="group"
                    value="${g.key}"
                  />
                  <button class="secondary">replay group (${g.count})</button>
                </form>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>

    <h2>Dead letters</h2>
    <form id="selection" hx-post="/failures/replay" hx-target="#replay-outcome">
      <input type="hidden" name="_csrf" value="${csrf}" />
      <table class="grid letters">
        <thead>
          <tr>
            <th></th>
            <th>received</th>
            <th>channel</th>
            <th>type</th>
            <th>reason</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          ${groups.flatMap((g) =>
            g.items.map(
              (d) =>
                html`<tr data-dead-letter="${d.id}">
                  <td><input type="checkbox" name="id" value="${d.id}" aria-label="select" /></td>
                  <td>${fmtTime(d.receivedAt)}</td>
                  <td>${d.channel}</td>
                  <td>${d.type ?? '–'}</td>
                  <td>
                    ${g.reasons[0]}${g.reasons.length > 1 && html` <span class="muted">+${g.reasons.length - 1}</span>`}
                  </td>
                  <td>
                    <a
                      href="/failures/${d.id}"
                      hx-get="/failures/${d.id}"
                      hx-target="#inspect"
                      hx-push-url="false"
                      >inspect</a
                    >
                  </td>
                </tr>`,
            ),
          )}
        </tbody>
      </table>
      <button>replay selected</button>
    </form>
    <aside id="inspect"></aside>`;
}

export function deadLetterDetail(d: DeadLetterView): SafeHtml {
  return html`<section class="detail" data-inspect="${d.id}">
    <h2>Dead letter</h2>
    <dl>
      <dt>id</dt>
      <dd><code>${d.id}</code></dd>
      <dt>reason</dt>
      <dd>${d.violations.map((v) => html`<div><code>${v.path}</code> ${v.message}</div>`)}</dd>
      <dt>source</dt>
      <dd>${d.source ?? '–'}</dd>
      <dt>type</dt>
      <dd>${d.type ?? '–'}</dd>
      <dt>channel</dt>
      <dd>${d.channel}</dd>
      <dt>attempts</dt>
      <dd>${attemptsOf(d)}</dd>
      <dt>received</dt>
      <dd>${fmtTime(d.receivedAt)}</dd>
      <dt>status</dt>
      <dd>${d.status}${d.replayedAt ? html`, replayed ${fmtTime(d.replayedAt)}` : ''}</dd>
      <dt>payload</dt>
      <dd>${d.payloadBytes} bytes, kept for replay, not shown</dd>
    </dl>
  </section>`;
}

const OUTCOME_TEXT: Record<ReplayOutcome['outcome'], string> = {
  stored: 'stored: the event is in the hub now',
  duplicate: 'duplicate: the event was in the hub already; settled',
  'still-invalid': 'still invalid: kept open',
  'not-found': 'not found',
};

export function replayOutcomes(outcomes: { id: string; result: ReplayOutcome }[]): SafeHtml {
  if (!outcomes.length) return html`<p class="notice">Nothing selected to replay.</p>`;
  return html`<section class="outcomes">
    <h2>Replay outcome</h2>
    <table class="grid">
      <thead>
        <tr>
          <th>dead letter</th>
          <th>outcome</th>
        </tr>
      </thead>
      <tbody>
        ${outcomes.map(
          ({ id, result }) =>
            html`<tr data-replay="${id}" data-outcome="${result.outcome}" class="outcome-${result.outcome}">
              <td><code>${id}</code></td>
              <td>
                ${OUTCOME_TEXT[result.outcome]}${result.outcome === 'still-invalid' && html`<div class="muted">${result.violations.map((v) => `${v.path}: ${v.message}`).join('; ')}</div>`}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
    <p><a href="/failures">reload the list</a></p>
  </section>`;
}
