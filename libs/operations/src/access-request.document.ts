import { AccessReport } from './access-request.service';

/**
 * The access request as a printable HTML document (one self-contained page, print styles, no
 * scripts). It names the detentions and what was disclosed; not the BSN, which the coordinator
 * already has and which would make a lost print-out more harmful.
 */
export function accessRequestDocument(report: AccessReport): string {
  const when = (d: Date) => escapeHtml(d.toISOString().replace('T', ' ').slice(0, 19) + ' UTC');
  const list = (values: string[]) => values.map((v) => `<li>${escapeHtml(v)}</li>`).join('');
  const organisations = report.organisations
    .map(
      (o) => `<tr>
        <td><strong>${escapeHtml(o.organisation)}</strong><br><code>${escapeHtml(o.recipientId)}</code></td>
        <td>${o.fieldPaths.map((p) => `<code>${escapeHtml(p)}</code>`).join(', ')}</td>
        <td><ul>${list(o.purposes)}</ul></td>
        <td><ul>${list(o.legalGrounds)}</ul></td>
        <td>${when(o.firstDisclosedAt)}${o.disclosures > 1 ? `<br>to ${when(o.lastDisclosedAt)}` : ''}<br>(${o.disclosures}×)</td>
      </tr>`,
    )
    .join('');
  const disclosures = report.disclosures
    .map(
      (d) => `<tr>
        <td>${when(d.disclosedAt)}</td>
        <td>${escapeHtml(d.organisation)}<br><code>${escapeHtml(d.recipientId)}</code></td>
        <td><code>${escapeHtml(d.detentionId)}</code></td>
        <td><code>${escapeHtml(d.eventType)}</code></td>
        <td>${d.fieldPaths.map((p) => `<code>${escapeHtml(p)}</code>`).join(', ')}</td>
        <td>${escapeHtml(d.purpose)}</td>
        <td>${escapeHtml(d.legalGround)}</td>
      </tr>`,
    )
    .join('');
  const empty = `<p>The hub has recorded no disclosure of data about this person in ${escapeHtml(report.tenantName)}.</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Access request (AVG art. 15): ${escapeHtml(report.tenantName)}</title>
<style>
  body { font: 11pt/1.4 system-ui, sans-serif; margin: 2em; color: #111; }
  h1 { font-size: 1.5em; margin-bottom: 0; } h2 { font-size: 1.15em; margin-top: 1.6em; }
  table { border-collapse: collapse; width: 100%; margin-top: .5em; }
  th, td { border: 1px solid #999; padding: .3em .45em; vertical-align: top; text-align: left; }
  th { background: #eee; } ul { margin: 0; padding-left: 1.1em; } code { font-size: .9em; }
  .meta { color: #444; }
  @media print { body { margin: 0; font-size: 9.5pt; } tr { page-break-inside: avoid; } }
</style>
</head>
<body>
<h1>Access request (AVG art. 15)</h1>
<p class="meta">Inzageverzoek · Nazorg Hub · ${escapeHtml(report.tenantName)} · drawn up ${when(report.generatedAt)}</p>
<p>Which organisations received which data about the person, when, why and on which legal ground,
from the hub's disclosure log, for every detention of the person in ${escapeHtml(report.tenantName)}
(${report.detentionIds.length}: ${report.detentionIds.map((id) => `<code>${escapeHtml(id)}</code>`).join(', ') || 'none'}).
Detentions whose data was erased are not listed: the hub no longer knows they were about this person.</p>
${
  report.disclosures.length === 0
    ? empty
    : `<h2>Per organisation</h2>
<table>
<thead><tr><th>Organisation</th><th>Data (fields)</th><th>Purpose</th><th>Legal ground</th><th>When</th></tr></thead>
<tbody>${organisations}</tbody>
</table>
<h2>Every disclosure</h2>
<table>
<thead><tr><th>When</th><th>Organisation</th><th>Detention</th><th>Message</th><th>Data (fields)</th><th>Purpose</th><th>Legal ground</th></tr></thead>
<tbody>${disclosures}</tbody>
</table>`
}
</body>
</html>
`;
}

function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}
