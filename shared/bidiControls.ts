/**
 * Unicode bidirectional control characters: embeddings and overrides (U+202A–U+202E), isolates
 * (U+2066–U+2069) and the marks (U+200E, U+200F, U+061C). They reorder how text is displayed
 * without changing what it is, which is how "Trojan Source" makes code or a title read as
 * something else.
 */
export const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/gu;

/** Text without any bidirectional control character (for titles written by a model). */
export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}
