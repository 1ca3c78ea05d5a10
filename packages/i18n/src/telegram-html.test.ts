import { describe, expect, it } from 'vitest';
import { escapeHtml, tokenizeTelegramHtml, validateTelegramHtml } from './telegram-html.js';

describe('escapeHtml', () => {
  it('escapes what Telegram HTML parse mode needs', () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe(`&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry's&lt;/a&gt;`);
  });
});

describe('tokenizeTelegramHtml', () => {
  it('round-trips and reads tags and attributes', () => {
    const text = 'a <b>bold</b> <a href="https://x.y/?q=1&amp;r=2">link</a> 1 < 2';
    const tokens = tokenizeTelegramHtml(text);
    expect(tokens.map((t) => t.raw).join('')).toBe(text);
    expect(tokens.filter((t) => t.kind === 'open')).toEqual([
      { kind: 'open', raw: '<b>', name: 'b', attrs: {} },
      { kind: 'open', raw: '<a href="https://x.y/?q=1&amp;r=2">', name: 'a', attrs: { href: 'https://x.y/?q=1&amp;r=2' } },
    ]);
    expect(tokens.filter((t) => t.kind === 'stray')).toHaveLength(1);
  });
});

describe('validateTelegramHtml', () => {
  it('accepts every tag Telegram documents', () => {
    const text =
      '<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>i</ins><s>s</s><strike>s</strike><del>d</del>' +
      '<tg-spoiler>x</tg-spoiler><span class="tg-spoiler">x</span><a href="tg://user?id=1">u</a><code>c</code>' +
      '<pre><code class="language-ts">x</code></pre><blockquote expandable>q</blockquote>' +
      '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> &lt; &gt; &amp; &quot; &#128512; &#x1F600;';
    expect(validateTelegramHtml(text)).toEqual([]);
  });

  it.each([
    ['<div>x</div>', '<div> is not a tag Telegram accepts'],
    ['<b>x', '<b> is never closed'],
    ['<b><i>x</b></i>', '</b> does not close the innermost open tag <i>'],
    ['1 < 2', "a bare '<' (write &lt;)"],
    ['a -> b', "a bare '>' (write &gt;)"],
    ['Tom & Jerry', `a bare '&' at "& Jerry" (write &amp;)`],
    ['<span>x</span>', '<span> is only accepted as <span class="tg-spoiler">'],
    ['<a>x</a>', '<a> needs an href'],
    ['<b class="x">y</b>', '<b> may not carry the attribute "class"'],
  ])('rejects %s', (text, problem) => {
    expect(validateTelegramHtml(text)).toContain(problem);
  });
});
