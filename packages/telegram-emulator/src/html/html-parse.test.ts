import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors.js';
import { composeMessageText } from './compose-text.js';
import { parseHtml } from './html-parse.js';

function parseError(source: string): string {
  try {
    parseHtml(source);
  } catch (error) {
    if (error instanceof ApiError) return error.description;
    throw error;
  }
  throw new Error(`"${source}" parsed without an error`);
}

describe('parseHtml (Telegram HTML parse mode)', () => {
  it('turns every supported tag into its entity with UTF-16 offsets', () => {
    const { text, entities } = parseHtml(
      '<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>x</s><strike>k</strike><del>d</del>' +
        '<span class="tg-spoiler">p</span><tg-spoiler>q</tg-spoiler><a href="https://t.me">l</a><code>c</code>' +
        '<blockquote>z</blockquote><blockquote expandable>y</blockquote><tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
    );
    expect(text).toBe('bsieunxkdpqlczy👍');
    expect(entities.map((e) => e.type)).toEqual([
      'bold',
      'bold',
      'italic',
      'italic',
      'underline',
      'underline',
      'strikethrough',
      'strikethrough',
      'strikethrough',
      'spoiler',
      'spoiler',
      'text_link',
      'code',
      'blockquote',
      'expandable_blockquote',
      'custom_emoji',
    ]);
    expect(entities.find((e) => e.type === 'text_link')).toEqual({
      type: 'text_link',
      offset: 11,
      length: 1,
      url: 'https://t.me',
    });
    expect(entities.at(-1)).toEqual({
      type: 'custom_emoji',
      offset: 15,
      length: 2,
      custom_emoji_id: '5368324170671202286',
    });
  });

  it('gives pre a language from a nested code class, without a separate code entity', () => {
    expect(parseHtml('<pre><code class="language-ts">let a = 1;</code></pre>')).toEqual({
      text: 'let a = 1;',
      entities: [{ type: 'pre', offset: 0, length: 10, language: 'ts' }],
    });
  });

  it('decodes the four named entities and numeric ones, and keeps nesting order', () => {
    const { text, entities } = parseHtml('<b>a &lt;<i>b&gt;</i></b> &amp; &quot;&#65;&#x42;');
    expect(text).toBe('a <b> & "AB');
    expect(entities).toEqual([
      { type: 'bold', offset: 0, length: 5 },
      { type: 'italic', offset: 3, length: 2 },
    ]);
  });

  it('counts offsets in UTF-16 code units (emoji are two)', () => {
    expect(parseHtml('😀 <b>x</b>').entities).toEqual([{ type: 'bold', offset: 3, length: 1 }]);
  });

  it('makes tg://user links text mentions', () => {
    expect(parseHtml('<a href="tg://user?id=42">Ann</a>').entities[0]).toMatchObject({
      type: 'text_mention',
      user: { id: 42 },
    });
  });

  it('refuses what Telegram refuses, with its wording and byte offsets', () => {
    expect(parseError('hi <div>x</div>')).toBe('Bad Request: can\'t parse entities: Unsupported start tag "div" at byte offset 3');
    expect(parseError('<b>bold')).toBe('Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"');
    expect(parseError('<b>x</i>')).toBe(
      'Bad Request: can\'t parse entities: Unmatched end tag at byte offset 4, expected "</b>", found "</i>"',
    );
    expect(parseError('x</b>')).toBe("Bad Request: can't parse entities: Unexpected end tag at byte offset 1");
    expect(parseError('я <b')).toBe("Bad Request: can't parse entities: Unclosed start tag at byte offset 3");
    expect(parseError('<span>x</span>')).toContain('Tag "span" must have class "tg-spoiler"');
    expect(parseError('<br/>')).toContain('Unsupported start tag "br"');
  });

  it('takes quoted attribute values and bare name tokens only, like Telegram', () => {
    expect(parseHtml("<a href='https://t.me/x'>l</a>").entities[0]).toMatchObject({ url: 'https://t.me/x' });
    expect(parseHtml('<span class=tg-spoiler>p</span>').entities[0]).toMatchObject({ type: 'spoiler' });
    expect(parseError('<a href=https://t.me/x>l</a>')).toBe(
      "Bad Request: can't parse entities: Unexpected end of name token at byte offset 8",
    );
    expect(parseError('я <a href>l</a>')).toBe(
      "Bad Request: can't parse entities: Expected equal sign in declaration of an attribute of the tag at byte offset 6",
    );
    expect(parseError('<a href="https://t.me>l</a>')).toContain('Unclosed end of attribute value at byte offset 8');
  });
});

describe('composeMessageText', () => {
  it('trims surrounding whitespace and shifts entities', () => {
    expect(composeMessageText('  <b>hi</b> there \n', 'HTML', undefined)).toEqual({
      text: 'hi there',
      entities: [{ type: 'bold', offset: 0, length: 2 }],
    });
  });

  it('adds the entities Telegram detects itself', () => {
    const { entities } = composeMessageText('/start ref_1 see https://example.com @someone #tag', undefined, undefined);
    expect(entities.map((e) => [e.type, e.offset, e.length])).toEqual([
      ['bot_command', 0, 6],
      ['url', 17, 19],
      ['mention', 37, 8],
      ['hashtag', 46, 4],
    ]);
  });

  it('measures the 4096 limit after parsing, not on the markup', () => {
    const body = 'a'.repeat(4096);
    expect(composeMessageText(`<b>${body}</b>`, 'HTML', undefined).text).toHaveLength(4096);
    expect(() => composeMessageText(`${body}b`, undefined, undefined)).toThrow('Bad Request: message is too long');
    expect(() => composeMessageText('<b> </b>', 'HTML', undefined)).toThrow('Bad Request: message text is empty');
  });
});
