import { describe, expect, it } from 'vitest';
import { createBlockSplitter, splitBlocks } from './splitBlocks';

describe('splitBlocks', () => {
  it('splits at blank lines', () => {
    expect(splitBlocks('# Title\n\nPara one\nstill one\n\n- a\n- b\n')).toEqual([
      '# Title\n',
      'Para one\nstill one\n',
      '- a\n- b\n',
    ]);
  });

  it('keeps fenced code and $$ math whole, blank lines included', () => {
    const code = '```py\ndef f():\n\n    return 1\n```\n';
    const math = '$$\na\n\nb\n$$\n';
    expect(splitBlocks(`${code}\n${math}\nend`)).toEqual([code, math, 'end']);
  });

  it('a longer fence is closed only by a fence at least as long', () => {
    const text = '````\n```\n\ninner\n````\n\nafter';
    expect(splitBlocks(text)).toEqual(['````\n```\n\ninner\n````\n', 'after']);
  });

  it('streams: appending text rescans only the tail, with the same result as a full split', () => {
    const full =
      '# A\n\nSome *text*.\n\n```js\nlet x = 1;\n\nx++;\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nDone.';
    const splitter = createBlockSplitter();
    for (let i = 1; i <= full.length; i += 3) splitter.split(full.slice(0, i));
    const last = splitter.split(full);
    expect(last).toEqual(splitBlocks(full));
    expect(last.at(-1)).toBe('Done.');
  });

  it('starts over when the text is replaced rather than extended', () => {
    const splitter = createBlockSplitter();
    splitter.split('one\n\ntwo');
    expect(splitter.split('three\n\nfour')).toEqual(['three\n', 'four']);
  });
});
