import type { Conversation } from '../shared/domain';

/**
 * A conversation for renderer tests: live, unfiled, with every field at its default, titled with
 * its id; `fields` overrides any of them.
 */
export function conversationFixture(id: string, fields: Partial<Conversation> = {}): Conversation {
  return {
    id,
    title: id,
    model: { provider: 'mistral', model: 'm' },
    createdAt: 1,
    updatedAt: 1,
    systemPrompt: null,
    replyLanguage: null,
    languageCorrection: 'auto',
    params: null,
    pinned: false,
    archived: false,
    folderId: null,
    allowRemoteImages: false,
    deletedAt: null,
    ...fields,
  };
}
