import { useMemo, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppActions } from '../../../actions/appActions';
import type { MessageKey } from '../../../i18n/locales/en';
import { useT } from '../../../ui/useT';
import { useAppStore } from '../../../stores/useAppStore';
import { splitHighlights } from './highlightSnippet';
import {
  activeFilterCount,
  DATE_RANGES,
  modelChoices,
  NO_FILTERS,
  parseScope,
  scopeValue,
  type DateRange,
  type SearchFilters,
} from './searchFilters';

const HIT_SELECTOR = '.search-results .search-hit';

/** Moves focus from the search box to the first hit; false when there is none. */
export function focusFirstHit(): boolean {
  const first = document.querySelector<HTMLElement>(HIT_SELECTOR);
  first?.focus();
  return first !== null;
}

const DATE_LABELS: Record<DateRange, MessageKey> = {
  any: 'search.date.any',
  day: 'search.date.day',
  week: 'search.date.week',
  month: 'search.date.month',
  year: 'search.date.year',
};

/**
 * Search in the sidebar: filters (author, model, date, where), then the hits with their
 * matches marked (as text, never HTML); a click opens the conversation at the message.
 */
export function SearchResults(props: {
  filters: SearchFilters;
  onFiltersChange: (filters: SearchFilters) => void;
}) {
  const hits = useAppStore((state) => state.searchHits);
  const actions = useAppActions();
  const { t, language } = useT();
  const dateFormat = useMemo(
    () => new Intl.DateTimeFormat(language, { dateStyle: 'medium' }),
    [language],
  );
  if (!hits) return null;
  const filtered = activeFilterCount(props.filters) > 0;

  // ↑/↓ walk the hits; ↑ from the first goes back to the search box.
  const onListKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const buttons = [...event.currentTarget.querySelectorAll<HTMLElement>('.search-hit')];
    const at = buttons.indexOf(document.activeElement as HTMLElement);
    if (at === -1) return;
    event.preventDefault();
    const next = at + (event.key === 'ArrowDown' ? 1 : -1);
    if (next < 0) document.querySelector<HTMLElement>('.sidebar-search input')?.focus();
    else buttons[Math.min(next, buttons.length - 1)]?.focus();
  };

  return (
    <div className="search-panel">
      <FilterBar filters={props.filters} onChange={props.onFiltersChange} />
      <p className="visually-hidden" role="status">
        {t('search.count', { count: hits.length })}
      </p>
      {hits.length === 0 ? (
        <p className="sidebar-empty">
          {filtered ? t('search.noResultsFiltered') : t('search.noResults')}
        </p>
      ) : (
        <ul className="search-results" aria-label={t('search.results')} onKeyDown={onListKeyDown}>
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
                <span className="search-hit-meta">
                  {hit.role === 'user' ? t('message.you') : t('message.assistant')}
                  {' · '}
                  <time dateTime={new Date(hit.createdAt).toISOString()}>
                    {dateFormat.format(hit.createdAt)}
                  </time>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * Author, model, date and where to look: native selects, so every one works by keyboard; and
 * whether Simplified and Traditional Chinese match each other, which Clear filters leaves as it is.
 */
function FilterBar(props: { filters: SearchFilters; onChange: (filters: SearchFilters) => void }) {
  const { t } = useT();
  const { filters, onChange } = props;
  const { conversations, catalog, folders, openId } = useAppStore(
    useShallow((state) => ({
      conversations: state.conversations,
      catalog: state.catalog,
      folders: state.folders,
      openId: state.threadConversationId,
    })),
  );
  const models = useMemo(() => modelChoices(conversations, catalog), [conversations, catalog]);
  const scopeConversation =
    filters.scope.kind === 'conversation' && filters.scope.id !== openId ? filters.scope.id : null;
  const titleOf = (id: string) =>
    conversations.find((c) => c.id === id)?.title || t('conversation.untitled');
  const set = (change: Partial<SearchFilters>) => onChange({ ...filters, ...change });
  // A select that narrows the search stands out, so a forgotten filter is easy to spot.
  const narrowing = (active: boolean) => (active ? 'filter-set' : undefined);

  return (
    <div className="search-filters" role="group" aria-label={t('search.filters')}>
      <select
        className={narrowing(filters.role !== 'any')}
        aria-label={t('search.filter.role')}
        value={filters.role}
        onChange={(event) => set({ role: event.target.value as SearchFilters['role'] })}
      >
        <option value="any">{t('search.role.any')}</option>
        <option value="user">{t('search.role.user')}</option>
        <option value="assistant">{t('search.role.assistant')}</option>
      </select>
      <select
        className={narrowing(filters.date !== 'any')}
        aria-label={t('search.filter.date')}
        value={filters.date}
        onChange={(event) => set({ date: event.target.value as DateRange })}
      >
        {DATE_RANGES.map((range) => (
          <option key={range} value={range}>
            {t(DATE_LABELS[range])}
          </option>
        ))}
      </select>
      <select
        className={narrowing(filters.model !== null)}
        aria-label={t('search.filter.model')}
        value={filters.model ?? ''}
        onChange={(event) => set({ model: event.target.value || null })}
      >
        <option value="">{t('search.model.any')}</option>
        {models.map((choice) => (
          <option key={choice.model} value={choice.model}>
            {choice.label}
          </option>
        ))}
        {filters.model && !models.some((choice) => choice.model === filters.model) ? (
          <option value={filters.model}>{filters.model}</option>
        ) : null}
      </select>
      <select
        className={narrowing(filters.scope.kind !== 'all')}
        aria-label={t('search.filter.scope')}
        value={scopeValue(filters.scope)}
        onChange={(event) => set({ scope: parseScope(event.target.value) })}
      >
        <option value="all">{t('search.scope.all')}</option>
        {openId ? (
          <option value={scopeValue({ kind: 'conversation', id: openId })}>
            {t('search.scope.conversation')}
          </option>
        ) : null}
        {scopeConversation ? (
          <option value={scopeValue({ kind: 'conversation', id: scopeConversation })}>
            {t('search.scope.otherConversation', { title: titleOf(scopeConversation) })}
          </option>
        ) : null}
        {folders.map((folder) => (
          <option key={folder.id} value={scopeValue({ kind: 'folder', id: folder.id })}>
            {t('search.scope.folder', { name: folder.name })}
          </option>
        ))}
      </select>
      <label className="search-option">
        <input
          type="checkbox"
          checked={filters.chineseVariants === true}
          onChange={(event) => set({ chineseVariants: event.target.checked })}
        />
        {t('search.chineseVariants')}
      </label>
      {activeFilterCount(filters) > 0 ? (
        <button
          type="button"
          className="link-button"
          onClick={() => onChange({ ...NO_FILTERS, chineseVariants: filters.chineseVariants })}
        >
          {t('search.clearFilters')}
        </button>
      ) : null}
    </div>
  );
}
