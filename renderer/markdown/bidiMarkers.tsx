import type { ElementContent, Root } from 'hast';
import type { ReactNode } from 'react';
import { BIDI_CONTROLS } from '../../shared/bidiControls';

/**
 * Bidirectional controls in code are shown, not obeyed: each becomes a visible ⟪U+202E⟫ marker
 * in its place, so the code reads in the order it is stored and runs (Trojan Source,
 * CVE-2021-42574). Only the display changes: Copy still has the real text.
 */

/** How many bidirectional control characters `text` holds. */
export function countBidiControls(text: string): number {
  return text.match(BIDI_CONTROLS)?.length ?? 0;
}

/** The visible stand-in for one control character: ⟪U+202E⟫. */
export function bidiMarker(control: string): string {
  const code = control.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `⟪U+${code}⟫`;
}

/** `text` split into plain runs and controls, in order. */
function pieces(text: string): { text: string; control: boolean }[] {
  const found: { text: string; control: boolean }[] = [];
  let last = 0;
  for (const match of text.matchAll(BIDI_CONTROLS)) {
    if (match.index > last) found.push({ text: text.slice(last, match.index), control: false });
    found.push({ text: match[0], control: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) found.push({ text: text.slice(last), control: false });
  return found;
}

/** Plain text with its controls as marker elements (the text itself when it has none). */
export function withBidiMarkers(text: string): ReactNode {
  if (countBidiControls(text) === 0) return text;
  return pieces(text).map((piece, index) =>
    piece.control ? (
      <span key={index} className="bidi-control">
        {bidiMarker(piece.text)}
      </span>
    ) : (
      piece.text
    ),
  );
}

/** A highlighted tree with every control in its text replaced by a marker span. */
export function markBidiInTree(tree: Root): Root {
  const mark = (node: ElementContent): ElementContent[] => {
    if (node.type === 'text') {
      if (countBidiControls(node.value) === 0) return [node];
      return pieces(node.value).map((piece) =>
        piece.control
          ? {
              type: 'element',
              tagName: 'span',
              properties: { className: ['bidi-control'] },
              children: [{ type: 'text', value: bidiMarker(piece.text) }],
            }
          : { type: 'text', value: piece.text },
      );
    }
    if (node.type === 'element') return [{ ...node, children: node.children.flatMap(mark) }];
    return [node];
  };
  return { ...tree, children: tree.children.flatMap((child) => mark(child as ElementContent)) };
}
