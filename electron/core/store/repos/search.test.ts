import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../openDatabase';
import {
  addConversation,
  addMessage,
  assertSearchIndexesConsistent,
  memoryDb,
} from '../../../../testing/store';
import { moveConversationToFolder, renameConversation } from './conversations';
import { deleteFolder, insertFolder } from './folders';
import { purgeTrash, restoreConversation, trashConversation } from './trash';
import { checkpointMessageContent, finishMessage } from './messages';
import {
  HIGHLIGHT_END,
  HIGHLIGHT_START,
  parseSearchQuery,
  RANKED_BELOW_MATCHES,
  searchConversationTitles,
  searchMessages,
} from './search';

let db: Db;
beforeEach(() => {
  db = memoryDb();
  addConversation(db, 'fr', { title: 'Mon CV et ma lettre', updatedAt: 5000 });
  addConversation(db, 'zh', { title: '数据库设计讨论', updatedAt: 4000 });
  addConversation(db, 'ja', { title: '東京旅行の計画', updatedAt: 3000 });
  addConversation(db, 'en', { title: 'Database migration plan', updatedAt: 2000 });
  addMessage(db, {
    id: 'fr1',
    conversationId: 'fr',
    content: 'Peux-tu relire mon résumé ?',
    createdAt: 100,
  });
  addMessage(db, {
    id: 'fr2',
    conversationId: 'fr',
    parentId: 'fr1',
    role: 'assistant',
    content: 'Votre RÉSUMÉ est clair. Ajoutez une ligne sur l’école.',
    createdAt: 200,
  });
  addMessage(db, { id: 'zh1', conversationId: 'zh', content: '我们的数据库很快', createdAt: 300 });
  addMessage(db, {
    id: 'zh2',
    conversationId: 'zh',
    parentId: 'zh1',
    role: 'assistant',
    content: '是的，数据库的索引设计得很好。',
    createdAt: 400,
  });
  addMessage(db, {
    id: 'ja1',
    conversationId: 'ja',
    content: '東京の天気はどうですか？',
    createdAt: 500,
  });
  addMessage(db, {
    id: 'ja2',
    conversationId: 'ja',
    parentId: 'ja1',
    role: 'assistant',
    content: '明日の東京は晴れです。データベースによると気温は二十度です。',
    createdAt: 600,
  });
  addMessage(db, {
    id: 'en1',
    conversationId: 'en',
    content: 'How do I write a database migration (v2) with "quotes" and -flags?',
    createdAt: 700,
  });
  addMessage(db, {
    id: 'en2',
    conversationId: 'en',
    parentId: 'en1',
    role: 'assistant',
    content:
      'Use NEAR-zero downtime: copy the table, then swap. C++ and C# work too; 100% safe_mode.',
    createdAt: 800,
  });
});
afterEach(() => db.close());

const ids = (query: string, extra: Partial<Parameters<typeof searchMessages>[1]> = {}) =>
  searchMessages(db, { query, ...extra })
    .map((hit) => hit.messageId)
    .sort();

describe('searchMessages', () => {
  it('finds Latin words, ignoring case, and highlights the match', () => {
    const hits = searchMessages(db, { query: 'MIGRATION' });
    expect(hits.map((h) => h.messageId)).toEqual(['en1']);
    expect(hits[0]).toMatchObject({
      conversationId: 'en',
      conversationTitle: 'Database migration plan',
      role: 'user',
      createdAt: 700,
    });
    expect(hits[0]?.snippet).toContain(`${HIGHLIGHT_START}migration${HIGHLIGHT_END}`);
    expect(typeof hits[0]?.rank).toBe('number');
  });

  it('ignores accents both ways: resume finds résumé and RÉSUMÉ, école finds ecole', () => {
    expect(ids('resume')).toEqual(['fr1', 'fr2']);
    expect(ids('résumé')).toEqual(['fr1', 'fr2']);
    expect(ids('ecole')).toEqual(['fr2']);
    const [hit] = searchMessages(db, { query: 'resume', role: 'user' });
    expect(hit?.snippet).toContain(`${HIGHLIGHT_START}résumé${HIGHLIGHT_END}`);
  });

  it('finds Chinese inside a sentence with no spaces', () => {
    expect(ids('数据库')).toEqual(['zh1', 'zh2']);
    const [hit] = searchMessages(db, { query: '数据库很快' });
    expect(hit?.messageId).toBe('zh1');
    expect(hit?.snippet).toBe(`我们的${HIGHLIGHT_START}数据库很快${HIGHLIGHT_END}`);
  });

  it('finds Japanese (kanji and katakana)', () => {
    expect(ids('データベース')).toEqual(['ja2']);
    expect(ids('東京の')).toEqual(['ja1']);
    expect(ids('晴れです')).toEqual(['ja2']);
  });

  it('finds one- and two-character queries without the trigram index', () => {
    expect(ids('東京')).toEqual(['ja1', 'ja2']);
    expect(ids('晴')).toEqual(['ja2']);
    expect(ids('数据')).toEqual(['zh1', 'zh2']);
    expect(ids('C#')).toEqual(['en2']);
    expect(ids('c#')).toEqual(['en2']); // ASCII case is ignored, as with longer words
    const [hit] = searchMessages(db, { query: '晴' });
    expect(hit?.snippet).toContain(`${HIGHLIGHT_START}晴${HIGHLIGHT_END}`);
    expect(hit?.rank).toBe(0);
  });

  it('treats % and _ in short queries literally', () => {
    expect(ids('%')).toEqual(['en2']);
    expect(ids('_')).toEqual(['en2']);
    expect(ids('%x')).toEqual([]);
  });

  it('ANDs words, mixing indexed and short words', () => {
    expect(ids('database migration')).toEqual(['en1']);
    expect(ids('database zebra')).toEqual([]);
    expect(ids('数据库 索引')).toEqual(['zh2']);
    expect(ids('table C#')).toEqual(['en2']);
    expect(ids('table C++x')).toEqual([]);
  });

  it('never lets query syntax through: hostile strings are searched literally or find nothing', () => {
    const hostile = [
      '"',
      '""',
      '"unterminated',
      '*',
      'data*',
      '-flags',
      'NEAR(database migration)',
      'database AND OR NOT',
      '(((',
      ')',
      'content:database',
      '{col} : ^',
      "'; DROP TABLE messages; --",
      '\u0000database\u0000',
      'a'.repeat(5000),
      '\\',
      '😀😀😀',
    ];
    for (const query of hostile) expect(() => searchMessages(db, { query })).not.toThrow();
    expect(ids('"quotes"')).toEqual(['en1']);
    expect(ids('-flags?')).toEqual(['en1']);
    expect(ids('(v2)')).toEqual(['en1']);
    expect(ids('NEAR-zero')).toEqual(['en2']);
    expect(ids('\u0000database\u0000')).toEqual(['en1']);
    expect(ids('data*')).toEqual([]);
    expect(db.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 8 });
  });

  it('returns nothing for an empty or blank query', () => {
    expect(searchMessages(db, { query: '' })).toEqual([]);
    expect(searchMessages(db, { query: ' \t\n ' })).toEqual([]);
  });

  it('filters by conversation, role, provider, model and date range', () => {
    expect(ids('数据库', { conversationId: 'zh' })).toEqual(['zh1', 'zh2']);
    expect(ids('数据库', { conversationId: 'fr' })).toEqual([]);
    expect(ids('数据库', { role: 'assistant' })).toEqual(['zh2']);
    expect(ids('数据库', { provider: 'mistral' })).toEqual(['zh1', 'zh2']);
    expect(ids('数据库', { model: 'mistral-small-latest' })).toEqual(['zh1', 'zh2']);
    expect(ids('数据库', { model: 'mistral-large-latest' })).toEqual([]);
    expect(ids('数据库', { from: 350 })).toEqual(['zh2']);
    expect(ids('数据库', { to: 400 })).toEqual(['zh1']);
    expect(ids('数据', { from: 300, to: 400 })).toEqual(['zh1']);
    expect(ids('数据', { role: 'assistant', conversationId: 'zh' })).toEqual(['zh2']);
  });

  it('filters by folder, and forgets the folder once it is deleted', () => {
    insertFolder(db, { id: 'work', name: 'Work', createdAt: 1 });
    moveConversationToFolder(db, 'zh', 'work');
    expect(ids('数据', { folderId: 'work' })).toEqual(['zh1', 'zh2']);
    expect(ids('résumé', { folderId: 'work' })).toEqual([]);
    expect(ids('数据', { folderId: 'work', role: 'user' })).toEqual(['zh1']);
    deleteFolder(db, 'work');
    expect(ids('数据', { folderId: 'work' })).toEqual([]);
    expect(ids('数据')).toEqual(['zh1', 'zh2']);
  });

  it('pages with limit and offset', () => {
    for (let i = 0; i < 7; i++) {
      addMessage(db, {
        id: `p${i}`,
        conversationId: 'en',
        content: `pagination test ${i}`,
        createdAt: 1000 + i,
      });
    }
    const first = searchMessages(db, { query: 'pagination', limit: 3 });
    const second = searchMessages(db, { query: 'pagination', limit: 3, offset: 3 });
    const third = searchMessages(db, { query: 'pagination', limit: 3, offset: 6 });
    expect([first.length, second.length, third.length]).toEqual([3, 3, 1]);
    const all = [...first, ...second, ...third].map((h) => h.messageId);
    expect(new Set(all).size).toBe(7);
    expect(searchMessages(db, { query: 'pa', limit: 2, offset: 1 })).toHaveLength(2);
  });

  it('leaves out conversations in the trash, and finds them again once restored', () => {
    trashConversation(db, 'zh', 9000);
    expect(ids('数据库')).toEqual([]);
    expect(ids('数据')).toEqual([]);
    restoreConversation(db, 'zh');
    expect(ids('数据库')).toEqual(['zh1', 'zh2']);
  });

  it('keeps the index in step with streaming checkpoints, finishes and purges', () => {
    addMessage(db, {
      id: 's1',
      conversationId: 'en',
      role: 'assistant',
      content: '',
      status: 'streaming',
    });
    checkpointMessageContent(db, { id: 's1', content: 'partial kangaroo', updatedAt: 2 });
    // A reply is indexed once it stops streaming, not at each checkpoint (migration 0005).
    expect(ids('kangaroo')).toEqual([]);
    assertSearchIndexesConsistent(db);
    checkpointMessageContent(db, {
      id: 's1',
      content: 'partial kangaroo and wombat',
      updatedAt: 3,
    });
    finishMessage(db, {
      id: 's1',
      content: 'final wombat only',
      status: 'complete',
      usage: null,
      error: null,
      updatedAt: 4,
    });
    expect(ids('kangaroo')).toEqual([]);
    expect(ids('wombat')).toEqual(['s1']);
    assertSearchIndexesConsistent(db);

    trashConversation(db, 'en', 1);
    expect(purgeTrash(db, { now: 2 })).toBe(1);
    expect(
      db
        .prepare('SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH \'"wombat"\'')
        .get(),
    ).toEqual({
      n: 0,
    });
    assertSearchIndexesConsistent(db);
  });

  it('does not reindex when only the status or metadata of a message changes', () => {
    const segments = () =>
      (db.prepare('SELECT count(*) AS n FROM messages_fts_data').get() as { n: number }).n;
    const before = segments();
    db.prepare("UPDATE messages SET status = 'error', updated_at = 5 WHERE id = 'en1'").run();
    db.prepare("UPDATE messages SET content = content WHERE id = 'en1'").run();
    expect(segments()).toBe(before);
    db.prepare("UPDATE messages SET content = 'changed text here' WHERE id = 'en1'").run();
    expect(segments()).toBeGreaterThan(before);
  });
});

describe('searchMessages with a common word', () => {
  it('returns the newest matches first, one page, without ranking every match', () => {
    addConversation(db, 'bulk', { title: 'Bulk', updatedAt: 1 });
    db.transaction(() => {
      for (let i = 0; i < RANKED_BELOW_MATCHES + 50; i++) {
        addMessage(db, {
          id: `bulk${i}`,
          conversationId: 'bulk',
          content: `common word number ${i}`,
          createdAt: 10_000 + i,
        });
      }
    })();
    const hits = searchMessages(db, { query: 'common', limit: 3 });
    expect(hits.map((hit) => hit.messageId)).toEqual([
      `bulk${RANKED_BELOW_MATCHES + 49}`,
      `bulk${RANKED_BELOW_MATCHES + 48}`,
      `bulk${RANKED_BELOW_MATCHES + 47}`,
    ]);
    // A selective word in the same store is still ranked by relevance.
    expect(searchMessages(db, { query: 'résumé' }).every((hit) => hit.rank < 0)).toBe(true);
  });
});

describe('searchConversationTitles', () => {
  it('finds titles in any script, with accents folded, highlighted', () => {
    const [hit] = searchConversationTitles(db, { query: 'database' });
    expect(hit).toMatchObject({ conversationId: 'en', title: 'Database migration plan' });
    expect(hit?.highlighted).toBe(`${HIGHLIGHT_START}Database${HIGHLIGHT_END} migration plan`);
    expect(searchConversationTitles(db, { query: '数据库' }).map((h) => h.conversationId)).toEqual([
      'zh',
    ]);
    expect(searchConversationTitles(db, { query: '旅行' }).map((h) => h.conversationId)).toEqual([
      'ja',
    ]);
    expect(searchConversationTitles(db, { query: 'cv' })[0]?.highlighted).toBe(
      `Mon ${HIGHLIGHT_START}CV${HIGHLIGHT_END} et ma lettre`,
    );
  });

  it('follows renames and leaves out the trash', () => {
    renameConversation(db, 'en', 'Schéma de données');
    expect(searchConversationTitles(db, { query: 'database' })).toEqual([]);
    expect(searchConversationTitles(db, { query: 'schema' }).map((h) => h.conversationId)).toEqual([
      'en',
    ]);
    trashConversation(db, 'en', 1);
    expect(searchConversationTitles(db, { query: 'schema' })).toEqual([]);
    expect(searchConversationTitles(db, { query: '"(*' })).toEqual([]);
    assertSearchIndexesConsistent(db);
  });
});

describe('parseSearchQuery', () => {
  it('splits on whitespace, drops control characters and duplicates, sorts by length', () => {
    expect(parseSearchQuery('  data\tdata  de 数据库 \u0000x ')).toEqual({
      indexed: ['data', '数据库'],
      short: ['de', 'x'],
    });
  });

  it('folds each term and keeps quoted phrases whole', () => {
    expect(parseSearchQuery('Straße "New  York" ÇA Data DATA')).toEqual({
      indexed: ['strasse', 'new york', 'data'],
      short: ['ca'],
    });
    expect(parseSearchQuery('數據 庫', { chineseVariants: true })).toEqual({
      indexed: [],
      short: ['数据', '库'],
    });
  });
});

describe('searchMessages folds text and query alike', () => {
  const folding = () => {
    addConversation(db, 'fold', { title: 'Straßenfest 數據庫', updatedAt: 9000 });
    const texts: Record<string, string> = {
      de1: 'Wir treffen uns in der Hauptstraße um acht.',
      de2: 'Am Samstag spielen wir Fußball im Park.',
      ar1: 'طلب العِلْمُ فريضة على كل مسلم',
      ar2: 'العـــلم نور',
      ru1: 'Ёжик в тумане — мой любимый мультфильм.',
      ca1: 'Ça marche, merci !',
      e1: 'É comme école.',
      wide: 'Ｐｙｔｈｏｎ３ and ｶﾀｶﾅ are full- and half-width.',
      ny: 'I moved to New York last year.',
      york: 'York is old; new buildings are rare there.',
      tw: '我們的數據庫很快，請檢查資料。',
      cn: '我们的数据库很快，请检查资料。',
    };
    let at = 10_000;
    for (const [id, content] of Object.entries(texts)) {
      addMessage(db, { id, conversationId: 'fold', content, createdAt: at++ });
    }
  };

  it('finds ß with ss and ss with ß', () => {
    folding();
    expect(ids('strasse')).toEqual(['de1']);
    expect(ids('hauptstrasse')).toEqual(['de1']);
    expect(ids('fussball')).toEqual(['de2']);
    expect(ids('FUSSBALL')).toEqual(['de2']);
    expect(ids('Fußball')).toEqual(['de2']);
    expect(ids('STRAẞE')).toEqual(['de1']);
  });

  it('finds Arabic with or without harakat and tatweel', () => {
    folding();
    expect(ids('العلم')).toEqual(['ar1', 'ar2']);
    expect(ids('العِلْمُ')).toEqual(['ar1', 'ar2']);
    expect(ids('علم')).toEqual(['ar1', 'ar2']);
  });

  it('treats ё as е, in any case', () => {
    folding();
    expect(ids('ежик')).toEqual(['ru1']);
    expect(ids('ЁЖИК')).toEqual(['ru1']);
    expect(ids('ёжик в тумане')).toEqual(['ru1']);
  });

  it('ignores the case (and accents) of short non-ASCII words', () => {
    folding();
    expect(ids('ça')).toEqual(['ca1']);
    expect(ids('Ça')).toEqual(['ca1']);
    expect(ids('ÇA')).toEqual(['ca1']);
    expect(ids('ca marche')).toEqual(['ca1']);
    expect(ids('É')).toEqual(expect.arrayContaining(['e1', 'fr1', 'fr2']));
    expect(ids('é')).toEqual(ids('É'));
    expect(ids('е').length).toBeGreaterThan(0); // Cyrillic е, from Ёжик and тумане
  });

  it('folds full- and half-width forms (NFKC)', () => {
    folding();
    expect(ids('python3')).toEqual(['wide']);
    expect(ids('カタカナ')).toEqual(['wide']);
    expect(ids('ＰＹＴＨＯＮ')).toEqual(['wide']);
  });

  it('matches a quoted query as a phrase, not the quote characters', () => {
    folding();
    expect(ids('new york')).toEqual(['ny', 'york']);
    expect(ids('"new york"')).toEqual(['ny']);
    expect(ids('“new york”')).toEqual(['ny']);
    expect(ids('«new york»')).toEqual(['ny']);
    expect(ids('"new   york"')).toEqual(['ny']);
    expect(ids('"york new"')).toEqual([]);
    expect(ids('"new york" moved')).toEqual(['ny']);
    expect(ids('"ça marche"')).toEqual(['ca1']);
    // A quote left open is ignored; so is an empty pair.
    expect(ids('"new')).toEqual(['ny', 'york']);
    expect(ids('""')).toEqual([]);
  });

  it('marks the match in the original text, accents, case and ß kept', () => {
    folding();
    const snippetOf = (query: string) => searchMessages(db, { query })[0]?.snippet;
    expect(snippetOf('strasse')).toBe(
      `…treffen uns in der Haupt${HIGHLIGHT_START}straße${HIGHLIGHT_END} um acht.`,
    );
    expect(snippetOf('stras')).toContain(`${HIGHLIGHT_START}straß${HIGHLIGHT_END}e`);
    expect(snippetOf('ежик')).toContain(`${HIGHLIGHT_START}Ёжик${HIGHLIGHT_END} в тумане`);
    expect(snippetOf('طلب العلم')).toContain(`${HIGHLIGHT_START}العِلْمُ${HIGHLIGHT_END}`);
    expect(snippetOf('نور العلم')).toBe(
      `${HIGHLIGHT_START}العـــلم${HIGHLIGHT_END} ${HIGHLIGHT_START}نور${HIGHLIGHT_END}`,
    );
    expect(snippetOf('"new york"')).toContain(`to ${HIGHLIGHT_START}New York${HIGHLIGHT_END} last`);
    expect(snippetOf('ça')).toBe(`${HIGHLIGHT_START}Ça${HIGHLIGHT_END} marche, merci !`);
  });

  it('matches Simplified and Traditional Chinese only when asked', () => {
    folding();
    expect(ids('數據庫')).toEqual(['tw']);
    expect(ids('数据库')).toEqual(['cn', 'zh1', 'zh2']);
    expect(ids('數據')).toEqual(['tw']);
    expect(ids('檢')).toEqual(['tw']);
    const across = { chineseVariants: true };
    expect(ids('數據庫', across)).toEqual(['cn', 'tw', 'zh1', 'zh2']);
    expect(ids('数据库', across)).toEqual(['cn', 'tw', 'zh1', 'zh2']);
    expect(ids('数据', across)).toEqual(['cn', 'tw', 'zh1', 'zh2']);
    expect(ids('數據', across)).toEqual(['cn', 'tw', 'zh1', 'zh2']);
    expect(ids('检', across)).toEqual(['cn', 'tw']);
    expect(ids('"请检查资料"', across)).toEqual(['cn', 'tw']);
    const [hit] = searchMessages(db, { query: '数据库很快', chineseVariants: true, role: 'user' });
    expect(hit?.snippet).toContain(`${HIGHLIGHT_START}`);
    const tw = searchMessages(db, { query: '数据库', chineseVariants: true }).find(
      (h) => h.messageId === 'tw',
    );
    expect(tw?.snippet).toContain(`我們的${HIGHLIGHT_START}數據庫${HIGHLIGHT_END}很快`);
    expect(
      searchConversationTitles(db, { query: '数据库', chineseVariants: true })
        .map((h) => h.conversationId)
        .sort(),
    ).toEqual(['fold', 'zh']);
    expect(searchConversationTitles(db, { query: 'STRASSE' })[0]?.highlighted).toBe(
      `${HIGHLIGHT_START}Straße${HIGHLIGHT_END}nfest 數據庫`,
    );
    assertSearchIndexesConsistent(db);
  });

  it('keeps the folded index in step with edits, streaming and deletes', () => {
    folding();
    addMessage(db, { id: 's', conversationId: 'fold', content: '', status: 'streaming' });
    checkpointMessageContent(db, { id: 's', content: 'Die Maß Bier', updatedAt: 2 });
    expect(ids('mass')).toEqual([]);
    finishMessage(db, {
      id: 's',
      content: 'Die Maß Bier im 臺灣',
      status: 'complete',
      usage: null,
      error: null,
      updatedAt: 3,
    });
    expect(ids('mass bier')).toEqual(['s']);
    expect(ids('台湾', { chineseVariants: true })).toEqual(['s']);
    assertSearchIndexesConsistent(db);
    db.prepare("UPDATE messages SET content = 'Ёлка' WHERE id = 's'").run();
    expect(ids('mass')).toEqual([]);
    expect(ids('елка')).toEqual(['s']);
    assertSearchIndexesConsistent(db);
    db.prepare("DELETE FROM messages WHERE id IN ('s', 'tw')").run();
    expect(ids('елка')).toEqual([]);
    expect(ids('數據', { chineseVariants: true })).toEqual(['cn', 'zh1', 'zh2']);
    assertSearchIndexesConsistent(db);
  });
});
