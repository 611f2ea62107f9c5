// What a reply may legitimately hold in another language, found before the language is judged:
// code (fenced, indented, tracebacks), links, quotes, markup, lists of names, and blocks that the
// reply introduces with a line ending in a colon (a translation, an e-mail draft, a commit message).

const RE = {
  fencedCode: /^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^ {0,3}\1[^\n]*$|(?![\s\S]))/gm,
  inlineCode: /`[^`\n]*`?/g,
  url: /\b(?:https?:\/\/|www\.)[^\s<>()]+/giu,
  email: /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu,
  html: /<\/?[a-z][^>\n]*>/gi,
  blockquote: /^ {0,3}>.*$/gm,
  // Quoted spans stay as they are by the reply rule, so they say nothing about the reply's language.
  quoted:
    /"[^"\n]{1,300}"|“[^”\n]{1,300}”|«[^»\n]{1,300}»|„[^“”\n]{1,300}[“”]|「[^」\n]{1,300}」|『[^』\n]{1,300}』/g,
  // Python: the header, its indented frames, and the exception line that closes it.
  traceback:
    /^Traceback \(most recent call last\):[^\n]*\n(?:[ \t]+[^\n]*\n|During handling[^\n]*\n|\n)*[^\n]*$/gm,
  // Stack frames of JavaScript, Java, C#; exception lines (`TypeError: …`, `java.io.IOException`).
  stackFrame: /^[ \t]+at [^\n]+$/gm,
  exceptionLine: /^[ \t]*(?:[\w$]+\.)*[A-Z][\w$]*(?:Error|Exception|Warning)\b[^\n]*$/gm,
  listItem: /^[ \t]*(?:[-*+•]|\d{1,3}[.)])[ \t]+(.*)$/,
  // The line that introduces a block, in Latin, CJK (full-width) and Arabic punctuation.
  introLine: /[:：][ \t*_]*$/,
};

/** A list item of at most this many words, all of them names, is a term, not prose. */
const MAX_NAME_ITEM_WORDS = 8;

/**
 * Removes what says nothing about the reply's own language: code (fenced, indented, tracebacks
 * and stack frames), links, addresses, quotes, markup and list items made only of names.
 */
export function stripNonProse(text: string): string {
  const stripped = text
    .replace(RE.fencedCode, '\n')
    .replace(RE.traceback, '\n')
    .replace(RE.stackFrame, '')
    .replace(RE.exceptionLine, '')
    .replace(RE.inlineCode, ' ')
    .replace(RE.url, ' ')
    .replace(RE.email, ' ')
    .replace(RE.html, ' ')
    .replace(RE.blockquote, '')
    .replace(RE.quoted, ' ');
  return dropIndentedCodeAndNameItems(stripped);
}

/**
 * One pass over the lines: an indented block after a blank line (Markdown's indented code, also
 * how models paste shell commands) and list items that are only names (`- Visual Studio Code`).
 */
function dropIndentedCodeAndNameItems(text: string): string {
  const lines = text.split('\n');
  const kept: string[] = [];
  let inIndented = false;
  let previousBlank = true;
  for (const line of lines) {
    const blank = line.trim() === '';
    const indented = /^(?: {4,}|\t)\S/.test(line) && !RE.listItem.test(line);
    if (indented && (previousBlank || inIndented)) {
      inIndented = true;
      previousBlank = false;
      continue;
    }
    if (!blank) inIndented = false;
    previousBlank = blank;
    const item = RE.listItem.exec(line);
    if (item && isNameList(item[1] ?? '')) continue;
    kept.push(line);
  }
  return kept.join('\n');
}

/** Whether a list item's text is only names: every word capitalised or technical (iPhone, 8080). */
function isNameList(item: string): boolean {
  const words = item
    .replace(/[*_`]/g, '')
    .split(/[\s/&+,·–—()]+/)
    .filter((word) => /\p{L}/u.test(word));
  if (words.length === 0 || words.length > MAX_NAME_ITEM_WORDS) return false;
  return words.every((word) => /^[\p{Lu}\p{N}]/u.test(word) || /\p{Lu}|\p{N}/u.test(word.slice(1)));
}

/**
 * The reply without the blocks it introduces: after a line ending in ":" or "：", the rest of
 * that paragraph and the following paragraphs are material (a translation, a draft, a commit
 * message) until a paragraph for which `resumes` is true, which takes the reply up again.
 * Returns null when the reply introduces no block.
 */
export function withoutIntroducedBlocks(
  prose: string,
  resumes: (paragraph: string) => boolean,
): string | null {
  const frame: string[] = [];
  let inBlock = false;
  let found = false;
  for (const paragraph of prose.split(/\n[ \t]*\n/)) {
    if (paragraph.trim() === '') continue;
    if (inBlock && !resumes(paragraph)) continue;
    inBlock = false;
    const lines = paragraph.split('\n');
    const intro = lines.findIndex((line) => RE.introLine.test(line.trimEnd()));
    if (intro === -1) {
      frame.push(paragraph);
      continue;
    }
    frame.push(lines.slice(0, intro + 1).join('\n'));
    inBlock = true;
    found = true;
  }
  return found ? frame.join('\n\n') : null;
}
