import { memo, useMemo, useState } from 'react';
import { renderNodes } from './MarkdownNodes';
import { parseMarkdown } from './parseMarkdown';
import { createBlockSplitter } from './splitBlocks';

/** One block: parsed once, re-rendered only when its text changes (the streaming tail). */
const MarkdownBlock = memo(function MarkdownBlock(props: { text: string; finished: boolean }) {
  const tree = useMemo(() => parseMarkdown(props.text), [props.text]);
  return <>{renderNodes(tree.children, props.finished)}</>;
});

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
      {blocks.map((block, index) => (
        <MarkdownBlock
          key={index}
          text={block}
          finished={!streaming || index < blocks.length - 1}
        />
      ))}
    </>
  );
}
