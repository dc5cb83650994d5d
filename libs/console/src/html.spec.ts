import { escapeHtml, html, jsonScript, unsafeRaw } from './html';

describe('html', () => {
  it('escapes every interpolated string', () => {
    const evil = `<script>alert("x")</script>' onload='x' \`&`;
    const out = html`<p title="${evil}">${evil}</p>`.toString();
    expect(out).not.toContain('<script>');
    expect(out).toBe(
      `<p title="${escapeHtml(evil)}">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onload=&#39;x&#39; &#96;&amp;</p>`,
    );
  });

  it('keeps nested templates and trusted markup as they are, and escapes arrays item by item', () => {
    const items = ['<a>', 'b&c'];
    const out = html`<ul>
        ${items.map((i) => html`<li>${i}</li>`)}
      </ul>
      ${unsafeRaw('<hr>')}`
      .toString()
      .replace(/>\s+</g, '><'); // Prettier lays the template out as HTML
    expect(out).toBe('<ul><li>&lt;a&gt;</li><li>b&amp;c</li></ul><hr>');
    expect(html`${['<b>', html`<i></i>`]}`.toString()).toBe('&lt;b&gt;<i></i>');
  });

  it('renders null, undefined and false as nothing, numbers and true as text', () => {
    expect(html`[${null}${undefined}${false}${0}${true}]`.toString()).toBe('[0true]');
  });

  it('embeds JSON that cannot close its script element', () => {
    const out = jsonScript('d', { s: '</script><script>alert(1)</script>&' }).toString();
    expect(out).not.toMatch(/<\/script>.*<\/script>/);
    expect(out.match(/<\/script>/g)).toHaveLength(1);
    const json = out.replace(/^<script[^>]*>/, '').replace(/<\/script>$/, '');
    expect(JSON.parse(json)).toEqual({ s: '</script><script>alert(1)</script>&' });
  });
});
