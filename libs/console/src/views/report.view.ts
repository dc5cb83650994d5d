import { RegistrationReport } from '@nazorg/operations';
import { html, jsonScript, SafeHtml } from '../html';

export function reportView(input: {
  tenants: string[];
  tenant: string;
  month: string;
  report: RegistrationReport;
  /** The same report for the months before, oldest first, for the trend chart. */
  history: RegistrationReport[];
}): SafeHtml {
  const { report: r } = input;
  const csv = `/report.csv?tenant=${encodeURIComponent(input.tenant)}&month=${encodeURIComponent(input.month)}`;
  const figure = (label: string, value: number | string | null) =>
    html`<div class="box"><span class="label">${label}</span><span class="n">${value ?? '–'}</span></div>`;
  return html`<form class="filters" method="get" action="/report">
      ${
        input.tenants.length > 1
          ? html`<label
              >Tenant
              <select name="tenant">
                ${input.tenants.map(
                  (t) => html`<option value="${t}" ${t === input.tenant ? 'selected' : ''}>${t}</option>`,
                )}
              </select></label
            >`
          : html`<input type="hidden" name="tenant" value="${input.tenant}" />`
      }
      <label>Month <input type="month" name="month" value="${input.month}" /></label>
      <button>Show</button>
      <a class="button" id="csv-download" href="${csv}" download>Download CSV</a>
    </form>
    <section class="figures" data-report="${input.tenant}/${input.month}">
      ${figure('notifications', r.notifications)} ${figure('unique persons', r.uniquePersons)}
      ${figure('known length', r.withKnownLength)} ${figure('under 90 days', r.under90Days)}
      ${figure('share under 90 days', r.shareUnder90DaysPercent === null ? null : `${r.shareUnder90DaysPercent} %`)}
      ${figure('screened', r.screened)}
      ${figure('median days to municipal answer', r.medianDaysToMunicipalAnswer)}
      ${figure('median days release → first care contact', r.medianDaysReleaseToFirstCareContact)}
    </section>
    <section class="charts">
      <figure>
        <figcaption>Last six months</figcaption>
        <div class="chart"><canvas id="chart-report-trend"></canvas></div>
      </figure>
      <figure>
        <figcaption>Problems per condition · referrals per partner (${input.month})</figcaption>
        <div class="chart"><canvas id="chart-report-breakdown"></canvas></div>
      </figure>
    </section>
    ${jsonScript('report-data', {
      trend: {
        months: input.history.map((h) => h.month),
        notifications: input.history.map((h) => h.notifications),
        screened: input.history.map((h) => h.screened),
        under90Days: input.history.map((h) => h.under90Days),
      },
      problems: r.problemsPerCondition,
      referrals: r.referralsPerPartner,
    })}`;
}
