import { useT } from '../ui/useT';

/**
 * Markdown shown as the text it is, with a note saying so: for a block that failed to render or
 * that nests deeper than the renderer allows. React escapes the text; nothing in it is markup.
 */
export function SourceFallback({ text }: { text: string }) {
  const { t } = useT();
  return (
    <div className="md-source-fallback">
      <p className="md-source-note" role="note">
        {t('markdown.shownAsText')}
      </p>
      <div className="md-source-text" style={SOURCE_STYLE}>
        {text}
      </div>
    </div>
  );
}

// Inline, so the fallback needs nothing from the stylesheet to stay readable.
const SOURCE_STYLE = { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' } as const;
