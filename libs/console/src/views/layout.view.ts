import { html, SafeHtml } from '../html';
import { ConsoleSession } from '../console-session.service';

export const VIEWS = [
  { path: '/flows', label: 'Flows' },
  { path: '/failures', label: 'Failures' },
  { path: '/deadlines', label: 'Deadlines' },
  { path: '/trace', label: 'Trace' },
  { path: '/report', label: 'Registration report' },
  { path: '/channels', label: 'Channels' },
  { path: '/alerts', label: 'Alerts' },
  { path: '/instances', label: 'Instances' },
] as const;

export interface PageOptions {
  title: string;
  /** The nav entry to highlight ('' for none). */
  active: string;
  session: ConsoleSession | undefined;
  /** Chart.js is loaded only where a page draws charts. */
  charts?: boolean;
}

/** The frame of every page: navigation, who is logged in, the active-incident banner. */
export function page(options: PageOptions, content: SafeHtml): SafeHtml {
  const { session } = options;
  const who = session
    ? session.principal.role === 'operator'
      ? 'operator (all tenants, pseudonymised)'
      : `coordinator of ${session.principal.tenantId}`
    : '';
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content='{"includeIndicatorStyles":false}' />
        <title>${options.title} · Nazorg Hub console</title>
        <link rel="stylesheet" href="/assets/console.css" />
        <script src="/assets/htmx.min.js" defer></script>
        ${options.charts && html`<script src="/assets/chart.umd.js" defer></script>`}
        <script src="/assets/console.js" defer></script>
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/">Nazorg Hub <span>operations</span></a>
          ${
            session &&
            html`<nav>
                ${VIEWS.map(
                  (v) =>
                    html`<a href="${v.path}" class="${v.path === options.active ? 'active' : ''}"
                      >${v.label}</a
                    >`,
                )}
              </nav>
              <div class="who">
                <span class="role" data-role="${session.principal.role}">${who}</span>
                <form method="post" action="/logout">
                  <input type="hidden" name="_csrf" value="${session.csrfToken}" /><button class="link">
                    log out
                  </button>
                </form>
              </div>`
          }
        </header>
        ${session && html`<div id="incident-banner" hx-get="/banner" hx-trigger="load, every 5s" hx-swap="innerHTML"></div>`}
        <main>
          <h1>${options.title}</h1>
          ${content}
        </main>
      </body>
    </html>`;
}

/** A "not available" notice for data the system cannot give (yet). */
export function unavailable(reason: string): SafeHtml {
  return html`<p class="notice unavailable">${reason}</p>`;
}

export function fmtTime(value: Date | string | null | undefined): string {
  if (!value) return '–';
  const d = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(d.getTime())
    ? String(value)
    : d
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z');
}

export function fmtAge(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '–';
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} d`;
}

export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return fmtAge(ms / 1000);
}
