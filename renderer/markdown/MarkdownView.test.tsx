import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ISSUE_21_REPLIES } from '../../testing/fixtures/hostileCorpusNesting';
import { en } from '../i18n/locales/en';
import { GROUP_BLOCKS } from './blockGroups';
import { MAX_LIST_LEVELS } from './deepList';
import { MarkdownView, plainPieces, STREAMING_PLAIN_TEXT_CHARS } from './MarkdownView';

const paragraphs = (count: number) =>
  Array.from({ length: count }, (_, i) => `Paragraph **${i}**.`).join('\n\n');

const render = (text: string, streaming: boolean) =>
  renderToStaticMarkup(<MarkdownView text={text} streaming={streaming} />);

describe('MarkdownView', () => {
  it('shows bidi controls in inline code as visible markers (Trojan Source)', () => {
    const html = render('Run `echo safe\u202E; rm -rf ~` now.', false);
    expect(html).toContain('U+202E');
    expect(html).not.toContain('\u202E');
  });

  it('renders finished blocks in groups and the streaming tail after them', () => {
    const html = render(`${paragraphs(GROUP_BLOCKS + 3)}\n\nstill writ`, true);
    expect(html.match(/<div class="md-group">/g)).toHaveLength(2);
    expect(html).toContain('<p dir="auto">Paragraph <strong>0</strong>.</p>');
    expect(html).toContain(`<p dir="auto">Paragraph <strong>${GROUP_BLOCKS + 2}</strong>.</p>`);
    // The tail is not in a group: it changes with every update.
    expect(html.endsWith('<p dir="auto">still writ</p>')).toBe(true);
  });

  it('shows a huge unfinished block as text while it streams, parsed once finished', () => {
    const huge = `**${'x'.repeat(STREAMING_PLAIN_TEXT_CHARS)}**`;
    expect(render(huge, true)).toBe(
      `<div class="streaming-plain">${plainPieces(huge)
        .map((piece) => `<div class="streaming-plain-piece">${piece}</div>`)
        .join('')}</div>`,
    );
    expect(render(huge, false)).toBe(
      `<p dir="auto"><strong>${'x'.repeat(STREAMING_PLAIN_TEXT_CHARS)}</strong></p>`,
    );
  });

  it('cuts a huge streaming tail into pieces that stay the same as it grows', () => {
    const words = Array.from({ length: 20_000 }, (_, i) => `word${i}`).join(' ');
    const line = 'x'.repeat(40_000);
    const emoji = `${'a'.repeat(16_383)}😀${'b'.repeat(20_000)}`;
    for (const text of [words, line, emoji]) {
      const pieces = plainPieces(text);
      expect(pieces.join('')).toBe(text);
      expect(pieces.length).toBeGreaterThan(1);
      for (const piece of pieces.slice(0, -1)) {
        expect(piece.length).toBeLessThanOrEqual(16_384);
        expect(piece.length).toBeGreaterThan(15_000);
        const last = piece.charCodeAt(piece.length - 1);
        expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
      }
      const longer = plainPieces(`${text} and more`);
      expect(longer.slice(0, pieces.length - 1)).toEqual(pieces.slice(0, -1));
    }
    expect(plainPieces(words)[0]!.endsWith(' ')).toBe(true);
  });

  it('renders a deeply nested list down to the list cap, every item kept', () => {
    // (500 levels are checked in e2e/hostile.spec.ts.)
    const deep = Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n');
    const html = render(`Nested:\n\n${deep}\n`, false);
    expect(html.match(/<ul/g)).toHaveLength(MAX_LIST_LEVELS);
    expect(html.match(/<ul class="md-list-flattened">/g)).toHaveLength(MAX_LIST_LEVELS - 16);
    expect(html).toContain('<span>level 39</span>');
  });

  it('shows a block nested past the caps as its text, with a note, and renders the rest', () => {
    for (const { id, reply } of ISSUE_21_REPLIES) {
      const html = render(`Before **bold**.\n\n${reply}\n\nAfter *this*.`, false);
      expect(html, id).toContain('<p dir="auto">Before <strong>bold</strong>.</p>');
      expect(html, id).toContain('<p dir="auto">After <em>this</em>.</p>');
      expect(html, id).toContain(en['markdown.shownAsText']);
      expect(html, id).toContain('class="md-source-text"');
      expect(html, id).not.toContain('class="math');
    }
  });
});
