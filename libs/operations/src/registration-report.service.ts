import { Inject, Injectable } from '@nestjs/common';
import { CASE_STORE, CaseStorePort, RegistrationFigures } from '@nazorg/persistence';

export interface RegistrationReport extends RegistrationFigures {
  tenant: string;
  month: string;
  /** under90Days / withKnownLength, rounded to a tenth of a percent; null without known lengths. */
  shareUnder90DaysPercent: number | null;
}

/**
 * What a municipality's aftercare coordinators must register per month (DOMAIN.md), computed from
 * the cases of detentions that started in that month (Europe/Amsterdam month boundaries).
 */
@Injectable()
export class RegistrationReportService {
  constructor(@Inject(CASE_STORE) private readonly cases: CaseStorePort) {}

  async report(tenant: string, month: string): Promise<RegistrationReport> {
    const [year, m] = month.split('-').map(Number);
    const from = amsterdamMidnight(year, m);
    const to = m === 12 ? amsterdamMidnight(year + 1, 1) : amsterdamMidnight(year, m + 1);
    const figures = await this.cases.registrationFigures(tenant, from, to);
    return {
      tenant,
      month,
      ...figures,
      shareUnder90DaysPercent: figures.withKnownLength
        ? Math.round((figures.under90Days / figures.withKnownLength) * 1000) / 10
        : null,
    };
  }

  /** One `measure,key,value` row per figure: opens in any spreadsheet, diffable by month. */
  toCsv(report: RegistrationReport): string {
    const rows: (string | number | null)[][] = [['measure', 'key', 'value']];
    for (const [measure, value] of Object.entries(report)) {
      if (value !== null && typeof value === 'object') {
        for (const [key, n] of Object.entries(value)) rows.push([measure, key, n as number]);
      } else {
        rows.push([measure, '', value as string | number | null]);
      }
    }
    return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
  }
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  // Quote what needs it; a leading =, +, - or @ is defused against spreadsheet formula injection.
  const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Midnight Europe/Amsterdam on the first of the month, as an instant. */
function amsterdamMidnight(year: number, month: number): Date {
  const utc = Date.UTC(year, month - 1, 1);
  const offsetMinutes = amsterdamOffsetMinutes(new Date(utc));
  return new Date(utc - offsetMinutes * 60_000);
}

function amsterdamOffsetMinutes(at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: 'Europe/Amsterdam',
    timeZoneName: 'shortOffset',
  }).formatToParts(at);
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT+1';
  const match = /GMT([+-]\d+)/.exec(name);
  return match ? Number(match[1]) * 60 : 60;
}
