/**
 * Splits markdown into top-level blocks at blank lines that are outside fenced code and `$$`
 * math. Every block but the last is finished: later text cannot change how it parses (reference
 * links aside), so a streaming reply re-parses only its last block.
 */

/** A splitter that remembers where the last block began, so appending text rescans only it. */
export interface BlockSplitter {
  /** Blocks of `text`; when `text` extends the previous input, only the tail is rescanned. */
  split(text: string): string[];
}

export function createBlockSplitter(): BlockSplitter {
  let previous = '';
  let finished: string[] = [];
  let tailStart = 0;

  return {
    split(text) {
      if (!text.startsWith(previous)) {
        finished = [];
        tailStart = 0;
      }
      previous = text;
      const scan = scanBlocks(text, tailStart);
      finished = finished.concat(scan.finished);
      tailStart = scan.tailStart;
      const tail = text.slice(tailStart);
      return tail.trim() ? [...finished, tail] : [...finished];
    },
  };
}

/** All blocks of a complete text. */
export function splitBlocks(text: string): string[] {
  return createBlockSplitter().split(text);
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

function scanBlocks(text: string, from: number): { finished: string[]; tailStart: number } {
  const finished: string[] = [];
  let blockStart = from;
  let fence: string | null = null;
  let inMath = false;
  let position = from;
  while (position < text.length) {
    const newline = text.indexOf('\n', position);
    // The last line has no newline yet: it may still grow, so it never closes a block.
    if (newline === -1) break;
    const line = text.slice(position, newline);
    const next = newline + 1;
    if (fence) {
      const close = FENCE.exec(line);
      if (
        close?.[1] &&
        close[1][0] === fence[0] &&
        close[1].length >= fence.length &&
        !line.trim().slice(close[1].length).trim()
      ) {
        fence = null;
      }
    } else if (inMath) {
      if (line.trim() === '$$') inMath = false;
    } else {
      const open = FENCE.exec(line);
      if (open?.[1]) {
        fence = open[1];
      } else if (line.trim() === '$$') {
        inMath = true;
      } else if (line.trim() === '') {
        const block = text.slice(blockStart, position);
        if (block.trim()) finished.push(block);
        blockStart = next;
      }
    }
    position = next;
  }
  return { finished, tailStart: blockStart };
}
