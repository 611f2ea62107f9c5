import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { planGroups } from './blockGroups';
import { renderNodes } from './MarkdownNodes';
import { parseMarkdown } from './parseMarkdown';
import { SourceFallback } from './SourceFallback';
import { createBlockSplitter } from './splitBlocks';

/**
 * One block: parsed once, re-rendered only when its text changes (the streaming tail). A block
 * that fails to render is shown as its text; the rest of the message is not affected.
 */
const MarkdownBlock = memo(function MarkdownBlock(props: { text: string; finished: boolean }) {
  return (
    <ErrorBoundary resetKey={props.text} fallback={() => <SourceFallback text={props.text} />}>
      <ParsedBlock text={props.text} finished={props.finished} />
    </ErrorBoundary>
  );
});

function ParsedBlock(props: { text: string; finished: boolean }) {
  const tree = useMemo(() => parseMarkdown(props.text), [props.text]);
  return <>{renderNodes(tree.children, props.finished)}</>;
}

/** An unfinished block longer than this is shown as plain text until it is complete. */
export const STREAMING_PLAIN_TEXT_CHARS = 32_000;

/** The browser tells a `content-visibility: auto` element when it comes near the view. */
const CAN_WAIT_FOR_VIEW =
  typeof HTMLElement !== 'undefined' &&
  'oncontentvisibilityautostatechange' in HTMLElement.prototype;

type VisibilityEvent = Event & { skipped?: boolean };

/**
 * A run of finished blocks. Its blocks never change, so it renders once (or twice, see `eager`);
 * off screen the browser skips its style, layout and paint (`.md-group` in styles.css).
 */
const BlockGroup = memo(function BlockGroup(props: {
  /** The message's finished blocks: append-only, so blocks[start, end) are fixed. */
  blocks: readonly string[];
  start: number;
  end: number;
  /** Parse at once; otherwise the text is shown as written until the group nears the view. */
  eager: boolean;
}) {
  const { blocks, start, end, eager } = props;
  const ref = useRef<HTMLDivElement>(null);
  // Once parsed, a group stays parsed.
  const [parsed, setParsed] = useState(eager || !CAN_WAIT_FOR_VIEW);
  if (eager && !parsed) setParsed(true);

  useEffect(() => {
    const element = ref.current;
    if (parsed || !element) return;
    const onChange = (event: VisibilityEvent) => {
      if (event.skipped === false) setParsed(true);
    };
    // Find in page reveals pending text (hidden=until-found) and says so first.
    const onMatch = () => setParsed(true);
    element.addEventListener('contentvisibilityautostatechange', onChange);
    element.addEventListener('beforematch', onMatch);
    return () => {
      element.removeEventListener('contentvisibilityautostatechange', onChange);
      element.removeEventListener('beforematch', onMatch);
    };
  }, [parsed]);

  const texts = blocks.slice(start, end);
  if (parsed) {
    return (
      <div ref={ref} className="md-group">
        {texts.map((text, index) => (
          <MarkdownBlock key={index} text={text} finished />
        ))}
      </div>
    );
  }
  const text = texts.join('\n');
  // Both skip their content: the group while out of view, the text until parsed.
  const size = { containIntrinsicSize: `auto ${estimatedHeightPx(text, texts.length)}px` };
  return (
    <div ref={ref} className="md-group" style={size}>
      <div ref={hideUntilFound} className="md-pending" style={size}>
        {text}
      </div>
    </div>
  );
});

/**
 * Pending text is `hidden="until-found"`: in the DOM (copy, find in page, assistive technology
 * reach it) but never laid out, not even when a script measures something near it. React knows
 * `hidden` only as a boolean, so the attribute is set here.
 */
function hideUntilFound(element: HTMLElement | null): void {
  element?.setAttribute('hidden', 'until-found');
}

/** Roughly how tall text will be once rendered, so the scroll bar does not jump much. */
function estimatedHeightPx(text: string, blocks: number): number {
  const CHARS_PER_LINE = 90;
  const LINE_PX = 22;
  const BLOCK_GAP_PX = 12;
  return Math.ceil(text.length / CHARS_PER_LINE) * LINE_PX + blocks * BLOCK_GAP_PX;
}

/** Characters per piece of a plain streaming tail, about. */
const PLAIN_PIECE_CHARS = 16_384;

/**
 * Cuts a growing text into pieces of about PLAIN_PIECE_CHARS, after a line break or a space
 * where there is one near the end of a piece, never inside a surrogate pair. A piece depends only
 * on the text up to its end, so full pieces stay the same as the text grows.
 */
export function plainPieces(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = start + PLAIN_PIECE_CHARS;
    if (end >= text.length) {
      pieces.push(text.slice(start));
      break;
    }
    const window = text.slice(end - 1024, end);
    const breakAt = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
    if (breakAt !== -1) end = end - 1024 + breakAt + 1;
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end -= 1;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

/** One full piece of a plain tail: its text never changes, so it is laid out once. */
const PlainPiece = memo(function PlainPiece({ text }: { text: string }) {
  return <div className="streaming-plain-piece">{text}</div>;
});

/**
 * A huge unfinished block as text, in pieces: a commit then lays out only the last piece rather
 * than the whole megabyte, and pieces out of view are skipped (`content-visibility: auto`).
 */
function PlainTail({ text }: { text: string }) {
  const pieces = plainPieces(text);
  return (
    <div className="streaming-plain">
      {pieces.map((piece, index) => (
        <PlainPiece key={index} text={piece} />
      ))}
    </div>
  );
}

/**
 * Markdown for a message. Finished blocks are rendered in memoized groups that keep their
 * identity across updates, so while a reply streams a commit compares one prop set per group and
 * parses only the last, unfinished block; the splitter scans only the new text.
 */
export function MarkdownView({ text, streaming }: { text: string; streaming: boolean }) {
  // One splitter per message: it remembers where the unfinished tail starts.
  const [splitter] = useState(createBlockSplitter);
  const { finished, tail } = useMemo(() => splitter.split(text), [splitter, text]);
  const groups = planGroups(finished, text.length);
  return (
    <>
      {groups.map((group) => (
        <BlockGroup
          key={group.start}
          blocks={finished}
          start={group.start}
          end={group.end}
          eager={group.eager}
        />
      ))}
      {!tail ? null : streaming && tail.length > STREAMING_PLAIN_TEXT_CHARS ? (
        // Re-parsing a huge unfinished block on every update would stall the page (a 1 MB line
        // costs up to a second a parse): show it as text until it is done.
        <PlainTail key="tail" text={tail} />
      ) : (
        <MarkdownBlock key="tail" text={tail} finished={!streaming} />
      )}
    </>
  );
}
