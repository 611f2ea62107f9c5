import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../../shared/domain';
import { groupConversations } from './groupConversations';

const now = new Date(2026, 10, 24, 15, 0).getTime();
const at = (y: number, m: number, d: number, h = 12) => new Date(y, m, d, h).getTime();

function conversation(
  id: string,
  updatedAt: number,
  pinned = false,
): Conversation & { pinned: boolean } {
  return {
    id,
    title: id,
    model: { provider: 'mistral', model: 'm' },
    createdAt: updatedAt,
    updatedAt,
    pinned,
    systemPrompt: null,
    replyLanguage: null,
    languageCorrection: 'auto',
    params: null,
    archived: false,
    folderId: null,
    allowRemoteImages: false,
    deletedAt: null,
  };
}

describe('groupConversations', () => {
  it('groups by recency with pinned first and months last, newest first', () => {
    const groups = groupConversations(
      [
        conversation('older-month', at(2026, 8, 3)),
        conversation('today', at(2026, 10, 24, 9)),
        conversation('yesterday', at(2026, 10, 23, 23)),
        conversation('pinned-old', at(2025, 0, 1), true),
        conversation('week', at(2026, 10, 19)),
        conversation('month', at(2026, 10, 1)),
        conversation('last-month', at(2026, 9, 2)),
        conversation('today-later', at(2026, 10, 24, 14)),
      ],
      now,
    );
    expect(groups.map((g) => [g.id, g.conversations.map((c) => c.id)])).toEqual([
      ['pinned', ['pinned-old']],
      ['today', ['today-later', 'today']],
      ['yesterday', ['yesterday']],
      ['previous7', ['week']],
      ['previous30', ['month']],
      ['month-2026-9', ['last-month']],
      ['month-2026-8', ['older-month']],
    ]);
  });

  it('puts midnight exactly into Today', () => {
    const groups = groupConversations([conversation('midnight', at(2026, 10, 24, 0))], now);
    expect(groups[0]?.id).toBe('today');
  });
});
