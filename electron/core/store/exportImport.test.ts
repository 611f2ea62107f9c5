import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreError } from '../coreError';
import {
  exportConversationMarkdown,
  exportConversations,
  importExport,
  parseExportJson,
  type CauserieExport,
} from './exportImport';
import type { Db } from './openDatabase';
import {
  findActiveLeafId,
  listConversations,
  recordConversationActivity,
} from './repos/conversations';
import { insertFolder, listFolders } from './repos/folders';
import { trashConversation } from './repos/trash';
import { findMessage } from './repos/messages';
import { listPathToLeaf } from './repos/thread';
import { searchMessages } from './repos/search';
import {
  addConversation,
  addMessage,
  assertSearchIndexesConsistent,
  memoryDb,
} from '../../../testing/store';

let source: Db;
let target: Db;

/** A store with folders, settings, branches, errors, languages and timings. */
beforeEach(() => {
  source = memoryDb();
  target = memoryDb();
  insertFolder(source, { id: 'f-work', name: 'Travail', createdAt: 10 });
  insertFolder(source, { id: 'f-empty', name: 'Vide', createdAt: 11 });
  addConversation(source, 'c1', {
    title: 'Plan de migration',
    createdAt: 100,
    updatedAt: 900,
    systemPrompt: 'Réponds en français.',
    replyLanguage: 'fr',
    params: { temperature: 0.2, maxTokens: 800 },
    pinned: true,
    folderId: 'f-work',
  });
  addMessage(source, {
    id: 'u1',
    conversationId: 'c1',
    content: 'Comment migrer ?',
    createdAt: 101,
    replyLanguage: 'fr',
  });
  addMessage(source, {
    id: 'a1',
    conversationId: 'c1',
    parentId: 'u1',
    role: 'assistant',
    content: 'Première réponse',
    createdAt: 102,
    usage: { promptTokens: 5, completionTokens: 7, totalTokens: 12 },
    detectedLanguage: 'fr',
    ttftMs: 340,
    tokensPerSec: 41.5,
  });
  addMessage(source, {
    id: 'a1b',
    conversationId: 'c1',
    parentId: 'u1',
    role: 'assistant',
    content: 'Réponse régénérée',
    createdAt: 103,
    status: 'error',
    error: { code: 'RATE_LIMITED', message: 'Slow down', retryable: false },
  });
  addMessage(source, {
    id: 'u2',
    conversationId: 'c1',
    parentId: 'a1',
    content: 'Et ensuite ?',
    createdAt: 104,
  });
  recordConversationActivity(source, { id: 'c1', activeLeafId: 'u2', updatedAt: 900 });
  addConversation(source, 'c2', {
    title: '数据库',
    createdAt: 200,
    updatedAt: 300,
    archived: true,
  });
  addMessage(source, {
    id: 'z1',
    conversationId: 'c2',
    content: '我们的数据库很快',
    createdAt: 201,
  });
  recordConversationActivity(source, { id: 'c2', activeLeafId: 'z1', updatedAt: 300 });
  addConversation(source, 'c3', { title: 'Empty', createdAt: 300 });
  addConversation(source, 'trashed', { title: 'In the trash', createdAt: 400 });
  trashConversation(source, 'trashed', 500);
});
afterEach(() => {
  source.close();
  target.close();
});

/** Replaces every id by its position, so two exports compare on structure alone. */
function normalise(data: CauserieExport) {
  const folderIds = new Map(data.folders.map((f, i) => [f.id, `F${i}`]));
  return {
    ...data,
    exportedAt: 0,
    folders: data.folders.map((f) => ({ ...f, id: folderIds.get(f.id) })),
    conversations: data.conversations.map((c, i) => {
      const messageIds = new Map(c.messages.map((m, j) => [m.id, `C${i}M${j}`]));
      const map = (id: string | null | undefined) => (id ? messageIds.get(id) : id);
      return {
        ...c,
        id: `C${i}`,
        folderId: c.folderId ? folderIds.get(c.folderId) : c.folderId,
        activeLeafId: map(c.activeLeafId),
        messages: c.messages.map((m) => ({ ...m, id: map(m.id), parentId: map(m.parentId) })),
      };
    }),
  };
}

const rowCounts = (db: Db) =>
  ['conversations', 'messages', 'folders'].map(
    (table) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
  );

function thrown(fn: () => unknown): CoreError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CoreError) return error;
    throw error;
  }
  throw new Error('expected a CoreError');
}

describe('export', () => {
  it('exports every live conversation with all branches, settings and metadata', () => {
    const data = exportConversations(source, { all: true }, 12345);
    expect(data).toMatchObject({ format: 'causerie-export', version: 1, exportedAt: 12345 });
    expect(data.folders.map((f) => f.name)).toEqual(['Travail', 'Vide']);
    expect(data.conversations.map((c) => c.id)).toEqual(['c1', 'c2', 'c3']);
    const [c1] = data.conversations;
    expect(c1).toMatchObject({
      systemPrompt: 'Réponds en français.',
      replyLanguage: 'fr',
      params: { temperature: 0.2, maxTokens: 800 },
      pinned: true,
      archived: false,
      folderId: 'f-work',
      activeLeafId: 'u2',
    });
    expect(c1?.messages.map((m) => [m.id, m.parentId])).toEqual([
      ['u1', null],
      ['a1', 'u1'],
      ['a1b', 'u1'],
      ['u2', 'a1'],
    ]);
    expect(c1?.messages[1]).toMatchObject({
      usage: { promptTokens: 5, completionTokens: 7, totalTokens: 12 },
      detectedLanguage: 'fr',
      ttftMs: 340,
      tokensPerSec: 41.5,
      model: { provider: 'mistral', model: 'mistral-small-latest' },
    });
    expect(c1?.messages[2]?.error?.code).toBe('RATE_LIMITED');
  });

  it('exports a selection by ids or by folder, with only the folders used', () => {
    const byIds = exportConversations(source, { conversationIds: ['c2', 'trashed'] });
    expect(byIds.conversations.map((c) => c.id)).toEqual(['c2', 'trashed']);
    expect(byIds.folders).toEqual([]);
    const byFolder = exportConversations(source, { folderId: 'f-work' });
    expect(byFolder.conversations.map((c) => c.id)).toEqual(['c1']);
    expect(byFolder.folders.map((f) => f.id)).toEqual(['f-work']);
    expect(
      thrown(() => exportConversations(source, { conversationIds: ['nope'] })).appError.code,
    ).toBe('NOT_FOUND');
    expect(thrown(() => exportConversations(source, { folderId: 'nope' })).appError.code).toBe(
      'NOT_FOUND',
    );
  });

  it('writes the active branch as Markdown', () => {
    const markdown = exportConversationMarkdown(source, 'c1');
    expect(markdown).toMatch(/^# Plan de migration\n/);
    expect(markdown).toContain('> Réponds en français.');
    expect(markdown).toContain('## You\n\nComment migrer ?');
    expect(markdown).toContain('## Assistant (mistral-small-latest)\n\nPremière réponse');
    expect(markdown).toContain('Et ensuite ?');
    expect(markdown).not.toContain('Réponse régénérée'); // another branch
    expect(markdown.indexOf('Comment migrer')).toBeLessThan(markdown.indexOf('Et ensuite'));
    expect(exportConversationMarkdown(source, 'c3')).toBe(
      `# Empty\n\n_mistral · mistral-small-latest · ${new Date(300).toISOString()}_\n`,
    );
    expect(thrown(() => exportConversationMarkdown(source, 'nope')).appError.code).toBe(
      'NOT_FOUND',
    );
  });
});

describe('import', () => {
  it('round-trips: export, import into an empty store, export again gives the same data', () => {
    const first = exportConversations(source, { all: true }, 1);
    const report = importExport(target, parseExportJson(JSON.stringify(first)), 2);
    expect(report).toMatchObject({
      conversationsImported: 3,
      messagesImported: 5,
      foldersImported: 2,
      refused: [],
    });
    const second = exportConversations(target, { all: true }, 3);
    expect(normalise(second)).toEqual(normalise(first));
    // Nothing was taken in an empty store, so ids were kept as they were.
    expect(second.conversations.map((c) => c.id)).toEqual(['c1', 'c2', 'c3']);
    expect(searchMessages(target, { query: 'migrer' }).map((h) => h.messageId)).toEqual(['u1']);
    assertSearchIndexesConsistent(target);
  });

  it('never overwrites: importing into the same store gives new ids and relinks everything', () => {
    const data = exportConversations(source, { all: true }, 1);
    const before = exportConversations(source, { all: true }, 1);
    let counter = 0;
    const report = importExport(source, data, 2, () => `new-${++counter}`);
    expect(report.conversationsImported).toBe(3);
    expect(report.foldersImported).toBe(0); // matched by name
    expect(report.conversationIds.every((id) => id.startsWith('new-'))).toBe(true);

    // The originals are untouched.
    expect(exportConversations(source, { conversationIds: ['c1', 'c2', 'c3'] }, 1)).toEqual({
      ...before,
      folders: before.folders.filter((f) => f.id === 'f-work'),
    });
    const copy = exportConversations(source, { conversationIds: report.conversationIds }, 1);
    expect(
      copy.conversations
        .flatMap((c) => c.messages.map((m) => m.id))
        .every((id) => id.startsWith('new-')),
    ).toBe(true);
    expect(normalise(copy).conversations).toEqual(normalise(before).conversations);
    const c1Copy = report.conversationIds[0] ?? '';
    const leaf = findActiveLeafId(source, c1Copy) ?? '';
    expect(listPathToLeaf(source, leaf).map((m) => m.content)).toEqual([
      'Comment migrer ?',
      'Première réponse',
      'Et ensuite ?',
    ]);
    expect(listFolders(source).map((f) => f.name)).toEqual(['Travail', 'Vide']);
    expect(listConversations(source, { includeArchived: true })).toHaveLength(6);
  });

  it('imports a reply saved mid-stream as interrupted', () => {
    const data = exportConversations(source, { conversationIds: ['c2'] });
    data.conversations[0]!.messages[0]!.status = 'streaming';
    importExport(target, data, 1);
    expect(findMessage(target, 'z1')?.status).toBe('interrupted');
    // Finished, so indexed (streaming replies are not), by both the trigram and the pair index.
    expect(searchMessages(target, { query: '数据库' }).map((h) => h.messageId)).toEqual(['z1']);
    expect(searchMessages(target, { query: '数据' }).map((h) => h.messageId)).toEqual(['z1']);
    assertSearchIndexesConsistent(target);
  });

  it('refuses broken conversations one by one and imports the rest', () => {
    const exported = exportConversations(source, { all: true });
    const data: { conversations: unknown[] } = { ...exported };
    const good = exported.conversations[1]!;
    const base = exported.conversations[0]!;
    const messages = base.messages;
    data.conversations = [
      good,
      { ...base, messages: messages.map((m) => (m.id === 'u2' ? { ...m, parentId: 'ghost' } : m)) },
      {
        ...base,
        messages: messages.map((m) => (m.id === 'u1' ? { ...m, parentId: 'u2' } : m)),
      },
      { ...base, messages: [...messages, messages[0]] },
      { ...base, model: { provider: 'skynet', model: 'x' } },
      { ...base, activeLeafId: 'ghost' },
      'not even an object',
    ];
    const report = importExport(target, data, 1);
    expect(report.conversationsImported).toBe(1);
    expect(report.refused.map((r) => r.index)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(report.refused[0]?.reason).toMatch(/ghost.*not in this conversation/);
    expect(report.refused[1]?.reason).toMatch(/cycle/);
    expect(report.refused[2]?.reason).toMatch(/appears twice/);
    expect(report.refused[3]?.reason).toMatch(/model\.provider/);
    expect(report.refused[4]?.reason).toMatch(/activeLeafId/);
    expect(rowCounts(target)).toEqual([1, 1, 2]);
  });

  it('refuses a conversation whose params or system prompt the app could not chat with', () => {
    const exported = exportConversations(source, { conversationIds: ['c1'] });
    const base = exported.conversations[0]!;
    let deep: unknown = 1;
    for (let depth = 0; depth < 5_000; depth++) deep = { x: deep };
    const data = {
      ...exported,
      conversations: [
        { ...base, params: { temperature: 'hot', maxTokens: -5 } },
        { ...base, params: { temperature: 0.3, nested: deep } },
        { ...base, systemPrompt: 'x'.repeat(20_001) },
        { ...base, params: { temperature: 0.3 }, systemPrompt: 'y'.repeat(20_000) },
      ],
    };
    const report = importExport(target, data, 1);
    expect(report.refused.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(report.refused[0]?.reason).toMatch(/params\.temperature/);
    expect(report.refused[1]?.reason).toMatch(/params/);
    expect(report.refused[2]?.reason).toMatch(/systemPrompt/);
    const [imported] = listConversations(target);
    expect(imported?.params).toEqual({ temperature: 0.3 });
    expect(imported?.systemPrompt).toHaveLength(20_000);
  });

  it('opens the newest branch of a conversation whose export names no active leaf', () => {
    const exported = exportConversations(source, { conversationIds: ['c1'] });
    const { activeLeafId: _dropped, ...withoutLeaf } = exported.conversations[0]!;
    const report = importExport(target, { ...exported, conversations: [withoutLeaf] }, 1);
    const id = report.conversationIds[0]!;
    const leaf = findActiveLeafId(target, id);
    expect(leaf).not.toBeNull();
    // u2 (createdAt 104) is the newest message without a reply; a1b (103) is an older leaf.
    expect(listPathToLeaf(target, leaf!).map((m) => m.content)).toEqual([
      'Comment migrer ?',
      'Première réponse',
      'Et ensuite ?',
    ]);
  });

  it('refuses malformed files with a clear error and writes nothing', () => {
    const valid = exportConversations(source, { all: true });
    const cases: [unknown, RegExp][] = [
      [null, /not a Causerie export/],
      ['a string', /not a Causerie export/],
      [[], /not a Causerie export/],
      [{ ...valid, format: 'chatgpt-export' }, /not a Causerie export.*format/],
      [{ ...valid, conversations: 'nope' }, /conversations/],
      [{ ...valid, version: 2 }, /newer version of Causerie/],
      [{ ...valid, version: 0 }, /Unknown export format version/],
      [{ ...valid, folders: [{ id: '', name: 'x' }] }, /folder list is malformed/],
    ];
    for (const [data, message] of cases) {
      const error = thrown(() => importExport(target, data, 1));
      expect(error.appError.code).toBe('VALIDATION');
      expect(error.message).toMatch(message);
    }
    const notJson = thrown(() => parseExportJson('{"format": "causerie-export", '));
    expect(notJson.appError.code).toBe('VALIDATION');
    expect(notJson.message).toMatch(/not valid JSON/);
    expect(rowCounts(target)).toEqual([0, 0, 0]);
  });

  it('writes nothing at all when the transaction fails part-way', () => {
    const data = exportConversations(source, { all: true });
    // A message id that collides in a way zod cannot see: the id generator itself throws.
    let calls = 0;
    expect(() =>
      importExport(source, data, 1, () => {
        if (++calls > 3) throw new Error('id generator exploded');
        return `n${calls}`;
      }),
    ).toThrow('id generator exploded');
    expect(rowCounts(source)).toEqual([4, 5, 2]);
  });
});
