import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../../../shared/domain';
import {
  activeFilterCount,
  modelChoices,
  NO_FILTERS,
  parseScope,
  scopeValue,
  toFilterInput,
} from './searchFilters';

const now = Date.UTC(2026, 2, 15);
const DAY = 86_400_000;

describe('toFilterInput', () => {
  it('sends nothing for no filter', () => {
    expect(toFilterInput(NO_FILTERS, now)).toEqual({});
    expect(activeFilterCount(NO_FILTERS)).toBe(0);
  });

  it('maps role, model, date range and scope to the contract', () => {
    const filters = {
      role: 'assistant',
      model: 'mistral-large-latest',
      date: 'week',
      scope: { kind: 'folder', id: 'f1' },
    } as const;
    expect(toFilterInput(filters, now)).toEqual({
      role: 'assistant',
      model: 'mistral-large-latest',
      from: now - 7 * DAY,
      folderId: 'f1',
    });
    expect(activeFilterCount(filters)).toBe(4);
    expect(
      toFilterInput({ ...NO_FILTERS, date: 'year', scope: { kind: 'conversation', id: 'c' } }, now),
    ).toEqual({ from: now - 365 * DAY, conversationId: 'c' });
  });
});

describe('scope values', () => {
  it('round-trip, and anything odd means everywhere', () => {
    for (const scope of [
      { kind: 'all' },
      { kind: 'folder', id: 'a:b' },
      { kind: 'conversation', id: 'c1' },
    ] as const) {
      expect(parseScope(scopeValue(scope))).toEqual(scope);
    }
    expect(parseScope('folder:')).toEqual({ kind: 'all' });
    expect(parseScope('__proto__:x')).toEqual({ kind: 'all' });
  });
});

describe('modelChoices', () => {
  it('offers models in use and in the catalogue once each, named as the catalogue names them', () => {
    const used = (model: string) => ({ model: { provider: 'mistral', model } }) as Conversation;
    expect(
      modelChoices(
        [used('mistral-small-latest'), used('old-model'), used('mistral-small-latest')],
        [
          {
            models: [
              { ref: { model: 'mistral-small-latest' }, displayName: 'Mistral Small' },
              { ref: { model: 'mistral-large-latest' }, displayName: 'Mistral Large' },
            ],
          },
        ],
      ),
    ).toEqual([
      { model: 'mistral-large-latest', label: 'Mistral Large' },
      { model: 'mistral-small-latest', label: 'Mistral Small' },
      { model: 'old-model', label: 'old-model' },
    ]);
  });
});

describe('the Simplified ↔ Traditional option', () => {
  it('is sent only when on, and is not counted as a narrowing filter', () => {
    expect(toFilterInput({ ...NO_FILTERS, chineseVariants: true }, now)).toEqual({
      chineseVariants: true,
    });
    expect(toFilterInput({ ...NO_FILTERS, chineseVariants: false }, now)).toEqual({});
    expect(activeFilterCount({ ...NO_FILTERS, chineseVariants: true })).toBe(0);
  });
});
