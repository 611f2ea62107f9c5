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
    expect([...last.finished, last.tail]).toEqual(splitBlocks(full));
    expect(last.tail).toBe('Done.');
  });

  it('gives the same blocks however the text is cut into deltas', () => {
    const full = [
      '# Title',
      '',
      'Para with `code` and $x$.',
      '',
      '~~~~md',
      '```',
      '',
      'not a fence end',
      '~~~~',
      '',
      '$$',
      'a',
      '',
      'b',
      '$$',
      '',
      '- one',
      '- two',
      '',
      '',
      'last',
    ].join('\n');
    const expected = splitBlocks(full);
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let run = 0; run < 50; run++) {
      const splitter = createBlockSplitter();
      let end = 0;
      while (end < full.length) {
        end = Math.min(full.length, end + 1 + Math.floor(random() * 12));
        splitter.split(full.slice(0, end));
      }
      const { finished, tail } = splitter.split(full);
      expect([...finished, tail]).toEqual(expected);
    }
  });

  it('keeps one finished array that only grows while the text grows', () => {
    const splitter = createBlockSplitter();
    const first = splitter.split('a\n\nb');
    expect(first.finished).toEqual(['a\n']);
    expect(first.tail).toBe('b');
    const second = splitter.split('a\n\nb\n\nc');
    expect(second.finished).toBe(first.finished);
    expect(second.finished).toEqual(['a\n', 'b\n']);
    expect(second.tail).toBe('c');
    // A blank tail is no block.
    expect(splitter.split('a\n\nb\n\nc\n\n').tail).toBe('');
  });

  it('scans each line once however many times the text grows', () => {
    const splitter = createBlockSplitter();
    let text = '';
    const slice = String.prototype.slice;
    let sliced = 0;
    String.prototype.slice = function (this: string, ...args: [number?, number?]) {
      sliced += 1;
      return slice.apply(this, args);
    };
    try {
      for (let i = 0; i < 1000; i++) {
        text += `line ${i}\n${i % 10 === 9 ? '\n' : ''}`;
        splitter.split(text);
      }
    } finally {
      String.prototype.slice = slice;
    }
    // A line is sliced once when scanned, a block once when finished, the tail once per call:
    // nothing proportional to the text so far.
    expect(sliced).toBeLessThan(1100 + 100 + 1000 + 100);
  });

  it('starts over when the text is replaced rather than extended', () => {
    const splitter = createBlockSplitter();
    const before = splitter.split('one\n\ntwo');
    const after = splitter.split('three\n\nfour');
    expect(after.finished).not.toBe(before.finished);
    expect([...after.finished, after.tail]).toEqual(['three\n', 'four']);
    expect(splitter.split('thr').finished).toEqual([]);
  });
});
