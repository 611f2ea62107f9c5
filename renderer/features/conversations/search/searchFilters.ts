import type { MethodInput } from '../../../../shared/contract';
import type { Conversation } from '../../../../shared/domain';

/** How far back a search looks. */
export const DATE_RANGES = ['any', 'day', 'week', 'month', 'year'] as const;
/** One of {@link DATE_RANGES}. */
export type DateRange = (typeof DATE_RANGES)[number];

/** What the user narrowed a search to, as the filter bar holds it. */
export interface SearchFilters {
  role: 'any' | 'user' | 'assistant';
  /** A model name, or null for any model. */
  model: string | null;
  date: DateRange;
  /** Everywhere, the open conversation, or one folder. */
  scope: { kind: 'all' } | { kind: 'conversation'; id: string } | { kind: 'folder'; id: string };
  /** Simplified and Traditional Chinese match each other: widens the search, so not a filter. */
  chineseVariants?: boolean;
}

/** No filter at all. */
export const NO_FILTERS: SearchFilters = {
  role: 'any',
  model: null,
  date: 'any',
  scope: { kind: 'all' },
};

/** The filters of a `search.messages` call (everything but the query and the page size). */
export type SearchFilterInput = Omit<MethodInput<'search.messages'>, 'query' | 'limit'>;

const DAY_MS = 86_400_000;
const RANGE_DAYS: Record<Exclude<DateRange, 'any'>, number> = {
  day: 1,
  week: 7,
  month: 30,
  year: 365,
};

/** The contract's filters for what the bar shows; dates count back from `now`. */
export function toFilterInput(filters: SearchFilters, now: number): SearchFilterInput {
  return {
    ...(filters.role !== 'any' ? { role: filters.role } : {}),
    ...(filters.model !== null ? { model: filters.model } : {}),
    ...(filters.date !== 'any' ? { from: now - RANGE_DAYS[filters.date] * DAY_MS } : {}),
    ...(filters.scope.kind === 'conversation' ? { conversationId: filters.scope.id } : {}),
    ...(filters.scope.kind === 'folder' ? { folderId: filters.scope.id } : {}),
    ...(filters.chineseVariants ? { chineseVariants: true } : {}),
  };
}

/** How many filters narrow the search (the scope counts as one; the Chinese option widens it). */
export function activeFilterCount(filters: SearchFilters): number {
  return (
    Number(filters.role !== 'any') +
    Number(filters.model !== null) +
    Number(filters.date !== 'any') +
    Number(filters.scope.kind !== 'all')
  );
}

/**
 * Model names worth offering: those the user's conversations use, then those the catalogue
 * offers, each once, sorted. Search matches a reply's own model (or the conversation's, for
 * the user's messages), by name.
 */
export function modelChoices(
  conversations: readonly Conversation[],
  catalog: readonly { models: readonly { ref: { model: string }; displayName: string }[] }[],
): { model: string; label: string }[] {
  const labels = new Map<string, string>();
  for (const group of catalog) {
    for (const entry of group.models) labels.set(entry.ref.model, entry.displayName);
  }
  const used = new Set(conversations.map((conversation) => conversation.model.model));
  return [...new Set([...used, ...labels.keys()])]
    .map((model) => ({ model, label: labels.get(model) ?? model }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** Encodes a scope as a `<select>` value, and back. */
export const scopeValue = (scope: SearchFilters['scope']): string =>
  scope.kind === 'all' ? 'all' : `${scope.kind}:${scope.id}`;

/** The scope a `<select>` value names; anything unknown means everywhere. */
export function parseScope(value: string): SearchFilters['scope'] {
  const at = value.indexOf(':');
  const kind = value.slice(0, at);
  const id = value.slice(at + 1);
  if (at > 0 && id && (kind === 'conversation' || kind === 'folder')) return { kind, id };
  return { kind: 'all' };
}
