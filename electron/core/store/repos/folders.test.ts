import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../openDatabase';
import { addConversation, memoryDb } from '../../../../testing/store';
import {
  findConversation,
  listConversations,
  listConversationsInFolder,
  moveConversationToFolder,
} from './conversations';
import { deleteFolder, findFolder, insertFolder, listFolders, renameFolder } from './folders';

let db: Db;
beforeEach(() => {
  db = memoryDb();
});
afterEach(() => db.close());

const ids = (list: { id: string }[]) => list.map((c) => c.id);

describe('folders', () => {
  it('creates, lists, renames and deletes folders; names are unique', () => {
    insertFolder(db, { id: 'f1', name: 'Travail', createdAt: 1 });
    insertFolder(db, { id: 'f2', name: 'Maison', createdAt: 2 });
    expect(() => insertFolder(db, { id: 'f3', name: 'Travail', createdAt: 3 })).toThrow(/UNIQUE/);
    expect(listFolders(db).map((f) => f.name)).toEqual(['Maison', 'Travail']);
    expect(renameFolder(db, 'f1', 'Boulot')).toBe(true);
    expect(() => renameFolder(db, 'f1', 'Maison')).toThrow(/UNIQUE/);
    expect(findFolder(db, 'f1')).toEqual({ id: 'f1', name: 'Boulot', createdAt: 1 });
    expect(renameFolder(db, 'nope', 'x')).toBe(false);
  });

  it('files conversations; deleting the folder keeps them, unfiled', () => {
    insertFolder(db, { id: 'f1', name: 'Travail', createdAt: 1 });
    addConversation(db, 'a', { updatedAt: 1 });
    addConversation(db, 'b', { updatedAt: 2 });
    expect(moveConversationToFolder(db, 'a', 'f1')).toBe(true);
    expect(moveConversationToFolder(db, 'b', 'f1')).toBe(true);
    expect(() => moveConversationToFolder(db, 'a', 'nope')).toThrow(/FOREIGN KEY/);
    expect(moveConversationToFolder(db, 'missing', 'f1')).toBe(false);
    expect(ids(listConversationsInFolder(db, 'f1'))).toEqual(['b', 'a']);
    moveConversationToFolder(db, 'b', null);
    expect(ids(listConversationsInFolder(db, 'f1'))).toEqual(['a']);
    expect(deleteFolder(db, 'f1')).toBe(true);
    expect(findConversation(db, 'a')?.folderId).toBeNull();
    expect(ids(listConversations(db))).toEqual(['b', 'a']);
  });
});
