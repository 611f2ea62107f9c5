import { memo, useMemo, useState } from 'react';
import { renderNodes } from './MarkdownNodes';
import { parseMarkdown } from './parseMarkdown';
import { createBlockSplitter } from './splitBlocks';

/** One block: parsed once, re-rendered only when its text changes (the streaming tail). */
const MarkdownBlock = memo(function MarkdownBlock(props: { text: string; finished: boolean }) {
  const tree = useMemo(() => parseMarkdown(props.text), [props.text]);
  return <>{renderNodes(tree.children, props.finished)}</>;
});

/** An unfinished block longer than this is shown as plain text until it is complete. */
export const STREAMING_PLAIN_TEXT_CHARS = 32_000;

/**
 * Markdown for a message. Finished blocks keep their identity across updates, so while a reply
 * streams only its last, unfinished block is parsed again.
 */
export function MarkdownView({ text, streaming }: { text: string; streaming: boolean }) {
  // One splitter per message: it remembers where the unfinished tail starts.
  const [splitter] = useState(createBlockSplitter);
  const blocks = useMemo(() => splitter.split(text), [splitter, text]);
  return (
    <>
      {blocks.map((block, index) => {
        const finished = !streaming || index < blocks.length - 1;
        // Re-parsing a huge unfinished block on every update would stall the page (a 1 MB line
        // costs up to a second a parse): show it as text until it is done.
        if (!finished && block.length > STREAMING_PLAIN_TEXT_CHARS) {
          return (
            <p key={index} className="streaming-plain">
              {block}
            </p>
          );
        }
        return <MarkdownBlock key={index} text={block} finished={finished} />;
      })}
    </>
  );
}
