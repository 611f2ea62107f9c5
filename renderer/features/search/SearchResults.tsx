import { useAppActions } from '../../app/appActions';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/useAppStore';
import { splitHighlights } from './highlightSnippet';

/** Search hits in the sidebar: title, a snippet with the matches marked; a click opens the message. */
export function SearchResults() {
  const hits = useAppStore((state) => state.searchHits);
  const actions = useAppActions();
  const { t } = useT();
  if (!hits) return null;
  if (hits.length === 0) return <p className="sidebar-empty">{t('search.noResults')}</p>;
  return (
    <ul className="search-results" aria-label={t('search.results')}>
      {hits.map((hit) => (
        <li key={hit.messageId}>
          <button
            type="button"
            className="search-hit"
            onClick={() => void actions.openConversation(hit.conversationId, hit.messageId)}
          >
            <span className="search-hit-title">
              {hit.conversationTitle || t('conversation.untitled')}
            </span>
            <span className="search-hit-snippet" dir="auto">
              {splitHighlights(hit.snippet).map((part, index) =>
                part.match ? (
                  <mark key={index}>{part.text}</mark>
                ) : (
                  <span key={index}>{part.text}</span>
                ),
              )}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
