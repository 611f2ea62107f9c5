/**
 * The text of a streamed delta's `content`: a string, or an array of parts of which only the
 * `text` ones count (reasoning or image parts are not reply text).
 */
export function deltaText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) =>
      part && typeof part === 'object' && 'text' in part && typeof part.text === 'string'
        ? part.text
        : '',
    )
    .join('');
}
