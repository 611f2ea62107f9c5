import { memo, useMemo, useRef } from 'react';
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
  const splitter = useRef(createBlockSplitter());
  const blocks = splitter.current.split(text);
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
