/**
 * What the UI benchmark streams and seeds: a long markdown reply of the kind models write (prose
 * with inline code and math, headings, lists, tables, fenced code, display math), a plain reply of
 * numbered words whose every token can be found again in the DOM, and a causerie-export file with
 * one 10,000-message conversation. Everything comes from a seeded generator: the same seed gives
 * the same text, so two runs (and ours and the baseline in one run) stream exactly the same tokens.
 */
import { toChunks } from '../../testing/fixtures/fakeSse';

import { seededRandom } from '../../testing/seededRandom';

export { seededRandom };

const WORDS = (
  'the a of to and in is that for it as with on this be by are from at an or which can value ' +
  'function request stream token model reply result error buffer state render thread message ' +
  'parser index table column latency memory cache query server client update commit layout ' +
  'virtual window scroll batch delta event handler schema store branch version system ' +
  'performance measure budget growth linear quadratic constant matrix vector gradient entropy'
).split(' ');

const CODE: Record<string, string[]> = {
  python: [
    'def tokenize(text: str) -> list[str]:',
    '    """Split text into word-sized tokens."""',
    '    return [t for t in text.split() if t]',
    'for index, value in enumerate(values):',
    '    total += value * weights[index]',
    'class Buffer:',
    '    def __init__(self, size=1024):',
    '        self.items = [None] * size',
    'result = {key: len(group) for key, group in groups.items()}',
    'if __name__ == "__main__":',
    '    main(sys.argv[1:])',
  ],
  typescript: [
    'export function sum(values: readonly number[]): number {',
    '  return values.reduce((total, value) => total + value, 0);',
    '}',
    'const cache = new Map<string, Promise<Response>>();',
    'interface Message { id: string; content: string; createdAt: number }',
    'for (const [key, value] of Object.entries(record)) {',
    '  if (value === undefined) delete record[key];',
    '}',
    'await Promise.all(ids.map((id) => store.load(id)));',
    'type Result<T> = { ok: true; value: T } | { ok: false; error: Error };',
  ],
  bash: [
    'set -euo pipefail',
    'for file in src/*.ts; do',
    '  echo "checking $file"',
    'done',
    'npm ci && npm run build',
    'curl -s http://127.0.0.1:8080/health | jq .status',
    'export NODE_OPTIONS=--max-old-space-size=4096',
  ],
  sql: [
    'SELECT id, title, updated_at FROM conversations',
    'WHERE deleted_at IS NULL',
    'ORDER BY updated_at DESC LIMIT 50;',
    'CREATE INDEX messages_by_parent ON messages(parent_id);',
    'UPDATE messages SET status = ? WHERE id = ?;',
  ],
  rust: [
    'fn main() -> Result<(), Box<dyn Error>> {',
    '    let data = std::fs::read_to_string("input.txt")?;',
    '    println!("{}", data.lines().count());',
    '    Ok(())',
    '}',
    'impl Iterator for Counter {',
    '    type Item = u32;',
    '}',
  ],
};

const MATH_INLINE = [
  '$O(n^2)$',
  '$e^{i\\pi} + 1 = 0$',
  '$\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$',
  '$\\alpha + \\beta$',
  '$x_i \\in \\mathbb{R}$',
  '\\(a^2 + b^2 = c^2\\)',
];
const MATH_DISPLAY = [
  '\\int_0^1 x^2 \\, dx = \\frac{1}{3}',
  'f(x) = \\sum_{n=0}^{\\infty} \\frac{f^{(n)}(a)}{n!} (x-a)^n',
  '\\mathbf{A}\\mathbf{x} = \\lambda \\mathbf{x}',
  'H(X) = -\\sum_{i} p_i \\log_2 p_i',
  '\\nabla \\cdot \\mathbf{E} = \\frac{\\rho}{\\varepsilon_0}',
];

/** Builds random markdown sections; each is a well-formed chunk of a reply. */
function sectionMaker(random: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const words = (count: number) => Array.from({ length: count }, () => pick(WORDS)).join(' ');
  const sentence = () => {
    const parts = [words(int(4, 12))];
    const r = random();
    if (r < 0.15) parts.push(`\`${pick(WORDS)}()\``);
    else if (r < 0.27) parts.push(`**${words(2)}**`);
    else if (r < 0.37) parts.push(pick(MATH_INLINE));
    else if (r < 0.42) parts.push(`[${words(2)}](https://example.org/${pick(WORDS)})`);
    parts.push(words(int(3, 9)));
    const text = parts.join(' ');
    return text[0]!.toUpperCase() + text.slice(1) + '.';
  };
  const paragraph = () => Array.from({ length: int(2, 5) }, sentence).join(' ');
  let heading = 0;
  return (): string => {
    const r = random();
    if (r < 0.36) return paragraph();
    if (r < 0.44) return `## ${++heading}. ${words(int(2, 5))}`;
    if (r < 0.56) {
      const ordered = random() < 0.4;
      return Array.from(
        { length: int(3, 6) },
        (_, i) => `${ordered ? `${i + 1}.` : '-'} ${sentence()}`,
      ).join('\n');
    }
    if (r < 0.74) {
      const language = pick(Object.keys(CODE));
      const lines = Array.from({ length: int(4, 30) }, () => pick(CODE[language]!));
      return ['```' + language, ...lines, '```'].join('\n');
    }
    if (r < 0.86) {
      const columns = int(3, 4);
      const row = () =>
        `| ${Array.from({ length: columns }, () => words(int(1, 3))).join(' | ')} |`;
      return [
        row(),
        `|${Array.from({ length: columns }, () => '---').join('|')}|`,
        ...Array.from({ length: int(3, 8) }, row),
      ].join('\n');
    }
    if (r < 0.95) return ['$$', pick(MATH_DISPLAY), '$$'].join('\n');
    return `> ${sentence()} ${sentence()}`;
  };
}

/**
 * A markdown reply of exactly `tokens` word-sized chunks ({@link toChunks}): sections until the
 * next one would not fit, then plain words to make up the count, so every construct is closed.
 */
export function markdownReply(tokens: number, seed = 20_260_101): string {
  const next = sectionMaker(seededRandom(seed));
  const sections: string[] = [];
  let count = 0;
  for (;;) {
    const section = next();
    const size = toChunks(section).length;
    if (count + size > tokens) break;
    sections.push(section);
    count += size;
  }
  const padding = Array.from({ length: tokens - count }, (_, i) => WORDS[i % WORDS.length]);
  if (padding.length > 0) sections.push(padding.join(' '));
  const text = sections.join('\n\n');
  const actual = toChunks(text).length;
  if (actual !== tokens) throw new Error(`markdownReply made ${actual} tokens, not ${tokens}`);
  return text;
}

/**
 * A plain reply of `tokens` distinct words (`w000001`…), a blank line before every 100th, so
 * each token can be looked for in the DOM and the markdown is paragraphs only.
 */
export function numberedReply(tokens: number): string {
  let text = '';
  for (let i = 1; i <= tokens; i++) {
    const word = `w${String(i).padStart(6, '0')}`;
    text += i === 1 ? word : i % 100 === 1 ? `\n\n${word}` : ` ${word}`;
  }
  return text;
}

/** The ids of the messages of {@link longConversationExport}, in thread order. */
export const messageId = (index: number) => `m${index}`;

/**
 * A causerie-export file (format version 1) holding one conversation of `count` messages, user
 * and assistant alternating as one parent chain, fitted to `maxBytes` of JSON once wrapped in the
 * `import.json` request body: the browser host refuses bodies over 4 MiB, so message text is as
 * long as fits.
 */
export function longConversationExport(
  count: number,
  title: string,
  maxBytes: number,
  seed = 7,
): { body: string; averageChars: number; lastMessageId: string } {
  for (let scale = 1; scale > 0.05; scale *= 0.85) {
    const random = seededRandom(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const words = (n: number) =>
      Array.from({ length: Math.max(1, Math.round(n * scale)) }, () => pick(WORDS)).join(' ');
    const start = 1_700_000_000_000;
    let chars = 0;
    const messages = Array.from({ length: count }, (_, index) => {
      const user = index % 2 === 0;
      let content: string;
      if (user) content = `${words(8 + (index % 9))}?`;
      else {
        const parts = [words(30 + (index % 40)), words(20 + (index % 25))];
        if (index % 7 === 1) parts.push(`- ${words(6)}\n- ${words(6)}\n- ${words(6)}`);
        if (index % 11 === 1)
          parts.push('```ts\nconst total = values.reduce((a, b) => a + b, 0);\n```');
        if (index % 13 === 1) parts.push('$$\n\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}\n$$');
        content = parts.join('\n\n');
      }
      chars += content.length;
      const at = start + index * 1000;
      return {
        id: messageId(index),
        parentId: index === 0 ? null : messageId(index - 1),
        role: user ? 'user' : 'assistant',
        content,
        status: 'complete',
        model: user ? null : { provider: 'mistral', model: 'mistral-small-latest' },
        usage: null,
        error: null,
        createdAt: at,
        updatedAt: at,
      };
    });
    const file = {
      format: 'causerie-export',
      version: 1,
      exportedAt: start + count * 1000,
      folders: [],
      conversations: [
        {
          id: 'bench-10k',
          title,
          model: { provider: 'mistral', model: 'mistral-small-latest' },
          activeLeafId: messageId(count - 1),
          createdAt: start,
          updatedAt: start + count * 1000,
          messages,
        },
      ],
    };
    const body = JSON.stringify({ json: JSON.stringify(file) });
    if (Buffer.byteLength(body) <= maxBytes) {
      return { body, averageChars: chars / count, lastMessageId: messageId(count - 1) };
    }
  }
  throw new Error(`cannot fit ${count} messages in ${maxBytes} bytes`);
}
