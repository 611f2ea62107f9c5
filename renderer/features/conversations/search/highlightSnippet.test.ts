import { describe, expect, it } from 'vitest';
import { splitHighlights } from './highlightSnippet';

describe('splitHighlights', () => {
  it('splits matches from plain text', () => {
    expect(splitHighlights('我们的\uE000数据库\uE001很快')).toEqual([
      { text: '我们的', match: false },
      { text: '数据库', match: true },
      { text: '很快', match: false },
    ]);
  });

  it('treats HTML as text and survives an unclosed marker', () => {
    expect(splitHighlights('<b>\uE000x')).toEqual([
      { text: '<b>', match: false },
      { text: 'x', match: true },
    ]);
  });
});
