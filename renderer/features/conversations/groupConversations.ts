import type { Conversation } from '../../../shared/domain';

/** A sidebar section: a fixed bucket, or a calendar month for older conversations. */
export type ConversationGroupKey =
  | { kind: 'pinned' }
  | { kind: 'today' }
  | { kind: 'yesterday' }
  | { kind: 'previous7' }
  | { kind: 'previous30' }
  | { kind: 'month'; year: number; month: number };

/** One section of the sidebar with its conversations, most recent first. */
export interface ConversationGroup {
  id: string;
  key: ConversationGroupKey;
  conversations: Conversation[];
}

const DAY_MS = 86_400_000;

function startOfDay(time: number): number {
  const date = new Date(time);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}

/**
 * Groups conversations the way chat apps do: pinned on top, then Today, Yesterday, Previous 7
 * days, Previous 30 days, then one section per month. Uses local time, like the user's calendar.
 */
export function groupConversations(
  conversations: readonly (Conversation & { pinned?: boolean })[],
  now: number,
): ConversationGroup[] {
  const today = startOfDay(now);
  const groups = new Map<string, ConversationGroup>();
  const add = (id: string, key: ConversationGroupKey, conversation: Conversation) => {
    let group = groups.get(id);
    if (!group) {
      group = { id, key, conversations: [] };
      groups.set(id, group);
    }
    group.conversations.push(conversation);
  };
  const sorted = [...conversations].sort((a, b) => b.updatedAt - a.updatedAt);
  for (const conversation of sorted) {
    const time = conversation.updatedAt;
    if (conversation.pinned) add('pinned', { kind: 'pinned' }, conversation);
    else if (time >= today) add('today', { kind: 'today' }, conversation);
    else if (time >= today - DAY_MS) add('yesterday', { kind: 'yesterday' }, conversation);
    else if (time >= today - 7 * DAY_MS) add('previous7', { kind: 'previous7' }, conversation);
    else if (time >= today - 30 * DAY_MS) add('previous30', { kind: 'previous30' }, conversation);
    else {
      const date = new Date(time);
      const year = date.getFullYear();
      const month = date.getMonth();
      add(`month-${year}-${month}`, { kind: 'month', year, month }, conversation);
    }
  }
  const order = ['pinned', 'today', 'yesterday', 'previous7', 'previous30'];
  return [...groups.values()].sort((a, b) => {
    const ai = order.indexOf(a.id);
    const bi = order.indexOf(b.id);
    if (ai !== -1 || bi !== -1) return (ai === -1 ? 99 : ai) - (bi === -1 ? 99 : bi);
    const am = a.key.kind === 'month' ? a.key.year * 12 + a.key.month : 0;
    const bm = b.key.kind === 'month' ? b.key.year * 12 + b.key.month : 0;
    return bm - am;
  });
}
