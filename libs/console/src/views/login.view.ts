import { html, SafeHtml } from '../html';

export function loginView(error: string | null): SafeHtml {
  return html`<form class="login" method="post" action="/login">
    <p>
      Paste your operations API token. An operator sees every tenant, pseudonymised; a coordinator sees their
      own tenant.
    </p>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <label>Token <input type="password" name="token" autocomplete="off" required autofocus /></label>
    <button>Log in</button>
    <p class="muted">
      Demo: <code>demo-operator-token</code>, <code>demo-coordinator-&lt;tenant&gt;-token</code>. The token is
      kept in an HttpOnly cookie for this site only.
    </p>
  </form>`;
}
