/** Until a better title exists, a conversation is named after the start of its first message. */
export function fallbackTitle(text: string, maxChars = 60): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(oneLine);
  return chars.length <= maxChars ? oneLine : chars.slice(0, maxChars - 1).join('') + '…';
}
