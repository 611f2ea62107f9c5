/**
 * Splits markdown into top-level blocks at blank lines that are outside fenced code and `$$`
 * math. Every block but the last is finished: later text cannot change how it parses (reference
 * links aside), so a streaming reply re-parses only its last block.
 */

/** The blocks of a text: the finished ones, then the unfinished tail. */
export interface SplitText {
  /**
   * The finished blocks. While the text only grows this is the same array, appended to, so a
   * range of it never changes once it is full; when the text is replaced it is a new array.
   */
  readonly finished: readonly string[];
  /** The last block, which may still grow; '' when the text ends with a finished block. */
  readonly tail: string;
}

/** A splitter that remembers where the last block began, so appending text rescans only it. */
export interface BlockSplitter {
  /** Splits `text`; when it extends the previous input, only the new text is scanned. */
  split(text: string): SplitText;
}

/** Where a scan stopped, so the next one can go on from there. */
interface ScanState {
  /** Where the unfinished block begins. */
  blockStart: number;
  /** The first line not scanned yet (the last line, until its newline arrives). */
  position: number;
  /** The open code fence (its run of backticks or tildes), if any. */
  fence: string | null;
  inMath: boolean;
}

const initialState = (): ScanState => ({ blockStart: 0, position: 0, fence: null, inMath: false });

export function createBlockSplitter(): BlockSplitter {
  let previous = '';
  let finished: string[] = [];
  let state = initialState();

  return {
    split(text) {
      if (text.length < previous.length || !text.startsWith(previous)) {
        finished = [];
        state = initialState();
      }
      previous = text;
      state = scanBlocks(text, state, finished);
      const tail = text.slice(state.blockStart);
      return { finished, tail: tail.trim() ? tail : '' };
    },
  };
}

/** All blocks of a complete text. */
export function splitBlocks(text: string): string[] {
  const { finished, tail } = createBlockSplitter().split(text);
  return tail ? [...finished, tail] : [...finished];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Scans whole lines from `from.position`, appending each block that a blank line closes to
 * `finished`. Lines are scanned once: the scan stops before the last line, which has no newline
 * yet, and resumes there with the same fence and math state.
 */
function scanBlocks(text: string, from: ScanState, finished: string[]): ScanState {
  let { blockStart, position, fence, inMath } = from;
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
  return { blockStart, position, fence, inMath };
}
