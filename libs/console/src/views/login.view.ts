import { html, SafeHtml } from '../html';

/** `demo`: outside production, name the demo tokens. */
export function loginView(error: string | null, demo: boolean): SafeHtml {
  return html`<form class="login" method="post" action="/login">
    <p>
      Paste your operations API token. An operator sees every tenant, pseudonymised; a coordinator sees their
      own tenant. The token is kept in an HttpOnly cookie for this site only.
    </p>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <label>Token <input type="password" name="token" autocomplete="off" required autofocus /></label>
    <button>Log in</button>
    ${
      demo &&
      html`<p class="muted">
        Demo: <code>demo-operator-token</code>, <code>demo-coordinator-&lt;tenant&gt;-token</code>.
      </p>`
    }
  </form>`;
}
