import { describe, expect, it } from 'vitest';
import { createAppStore } from './useAppStore';
import { conversationFixture } from '../../testing/conversationFixture';

const conversation = conversationFixture;

describe('conversations slice', () => {
  it('keeps folders sorted by name as they are created and renamed', () => {
    const store = createAppStore();
    store.getState().foldersLoaded([
      { id: 'b', name: 'Work', createdAt: 1 },
      { id: 'a', name: 'Recipes', createdAt: 2 },
    ]);
    store.getState().folderSaved({ id: 'c', name: 'Admin', createdAt: 3 });
    store.getState().folderSaved({ id: 'b', name: 'Bureau', createdAt: 1 });
    expect(store.getState().folders.map((f) => f.name)).toEqual(['Admin', 'Bureau', 'Recipes']);
  });

  it('a deleted folder lets its conversations go back to the list, none is removed', () => {
    const store = createAppStore();
    store.getState().foldersLoaded([{ id: 'w', name: 'Work', createdAt: 1 }]);
    store
      .getState()
      .conversationsLoaded([
        conversation('a', { folderId: 'w' }),
        conversation('b', { folderId: 'w', archived: true }),
        conversation('c'),
      ]);
    store.getState().folderToggled('w');
    expect(store.getState().collapsedFolderIds).toEqual(['w']);
    store.getState().folderDeleted('w');
    const state = store.getState();
    expect(state.folders).toEqual([]);
    expect(state.conversations.map((c) => [c.id, c.folderId, c.archived])).toEqual([
      ['a', null, false],
      ['b', null, true],
      ['c', null, false],
    ]);
    expect(state.collapsedFolderIds).toEqual([]);
  });

  it('folds and unfolds folders; a new conversation leaves the archive view', () => {
    const store = createAppStore();
    store.getState().folderToggled('x');
    store.getState().folderToggled('y');
    store.getState().folderToggled('x');
    expect(store.getState().collapsedFolderIds).toEqual(['y']);
    store.getState().sidebarViewChosen('archive');
    expect(store.getState().sidebarView).toBe('archive');
    store.getState().conversationCreated(conversation('new'));
    expect(store.getState().sidebarView).toBe('conversations');
  });

  it('an archived conversation stays known, with its new state', () => {
    const store = createAppStore();
    store.getState().conversationsLoaded([conversation('a'), conversation('b')]);
    store.getState().conversationUpdated(conversation('a', { archived: true }));
    expect(store.getState().conversations.map((c) => [c.id, c.archived])).toEqual([
      ['a', true],
      ['b', false],
    ]);
  });
});

describe('sidebar pages', () => {
  it('a page adds its rows and records where its list ends; known rows are replaced', () => {
    const store = createAppStore();
    store.getState().conversationUpdated(conversation('a', { title: 'old' }));
    const next = { pinned: false, updatedAt: 1, id: 'b' };
    store.getState().sidebarPageLoaded('unfiled', [conversation('a'), conversation('b')], next);
    const state = store.getState();
    expect(state.conversations.map((c) => [c.id, c.title])).toEqual([
      ['a', 'a'],
      ['b', 'b'],
    ]);
    expect(state.sidebarPages).toEqual({ unfiled: { next } });
  });

  it('marks the counts stale only when a conversation may have changed list', () => {
    const store = createAppStore();
    store.getState().sidebarPageLoaded('unfiled', [conversation('a')], null);
    const stale = () => store.getState().sidebarCountsStale;
    store.getState().conversationUpdated(conversation('a', { title: 'renamed' }));
    expect(stale()).toBe(0);
    store.getState().conversationUpdated(conversation('a', { archived: true }));
    expect(stale()).toBe(1);
    store.getState().conversationUpdated(conversation('unknown'));
    expect(stale()).toBe(2);
    store.getState().conversationRemoved('a');
    expect(stale()).toBe(3);
  });

  it('forgetting every page keeps only the open conversation', () => {
    const store = createAppStore();
    store.getState().sidebarPageLoaded('unfiled', [conversation('a'), conversation('b')], null);
    store.getState().threadOpened('b', [], {});
    store.getState().sidebarPagesForgotten();
    expect(store.getState().conversations.map((c) => c.id)).toEqual(['b']);
    expect(store.getState().sidebarPages).toEqual({});
  });
});
