import { html, SafeHtml } from '../html';
import { fmtTime } from './layout.view';

export interface DeadlineRow {
  /** The keyed pseudonym for operators, the detention id for the tenant's coordinator. */
  ref: string;
  tenantId: string;
  deadline: string;
  status: string;
  dueOn: string;
  raisedAt: Date;
}

const DEADLINE_TEXT: Record<string, string> = {
  notification: 'notification (2 days)',
  'municipal-answer': 'municipal answer (5 working days)',
  screening: 'screening (10 working days)',
  'release-readiness': 'warm handover before release',
};

/** Cases at risk (threatened) or missed, per tenant; the latest status per case and deadline. */
export function deadlinesView(rows: DeadlineRow[], traceable: boolean): SafeHtml {
  if (!rows.length) return html`<p class="notice ok">No deadline at risk or missed.</p>`;
  const tenants = [...new Set(rows.map((r) => r.tenantId))].sort();
  return html`${tenants.map((t) => {
    const mine = rows.filter((r) => r.tenantId === t);
    const missed = mine.filter((r) => r.status === 'missed').length;
    return html`<section class="tenant" data-tenant="${t}">
      <h2>
        ${t} <span class="pill bad">${missed} missed</span>
        <span class="pill warn">${mine.length - missed} at risk</span>
      </h2>
      <table class="grid">
        <thead>
          <tr>
            <th>case</th>
            <th>deadline</th>
            <th>status</th>
            <th>due on</th>
            <th>raised</th>
          </tr>
        </thead>
        <tbody>
          ${mine.map(
            (r) =>
              html`<tr class="status-${r.status}">
                <td>
                  ${traceable ? html`<a href="/trace?ref=${encodeURIComponent(r.ref)}"><code>${r.ref}</code></a>` : html`<code>${r.ref}</code>`}
                </td>
                <td>${DEADLINE_TEXT[r.deadline] ?? r.deadline}</td>
                <td>
                  <span class="pill ${r.status === 'missed' ? 'bad' : 'warn'}"
                    >${r.status === 'threatened' ? 'at risk' : r.status}</span
                  >
                </td>
                <td>${r.dueOn}</td>
                <td>${fmtTime(r.raisedAt)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </section>`;
  })}`;
}
