import { describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../../shared/contract';
import { createAppStore } from '../../stores/useAppStore';
import { createSidebarActions } from './sidebarActions';
import { conversationFixture } from '../../../testing/conversationFixture';

const conversation = conversationFixture;

/** A back end that answers like the real handlers for the calls the sidebar makes. */
function fakeBackEnd(store: ReturnType<typeof createAppStore>) {
  const calls: string[] = [];
  const find = (id: string) => store.getState().conversations.find((c) => c.id === id)!;
  const answers: Partial<{ [M in MethodName]: (input: MethodInput<M>) => MethodOutput<M> | null }> =
    {
      'folders.create': ({ name }) => (name === 'Taken' ? null : { id: 'f1', name, createdAt: 5 }),
      'folders.delete': () => ({}),
      'conversations.moveToFolder': ({ conversationId, folderId }) => ({
        ...find(conversationId),
        folderId,
      }),
      'conversations.setArchived': ({ conversationId, archived }) => ({
        ...find(conversationId),
        archived,
      }),
    };
  const named = <M extends MethodName>(method: M) =>
    ((input: MethodInput<M>) => {
      calls.push(method);
      const answer = answers[method] as ((input: MethodInput<M>) => unknown) | undefined;
      return Promise.resolve(answer ? answer(input) : null);
    }) as (input: MethodInput<M>) => Promise<MethodOutput<M> | null>;
  const actions: Parameters<typeof createSidebarActions>[0] = {
    addFolder: named('folders.create'),
    renameFolder: named('folders.rename'),
    deleteFolder: named('folders.delete'),
    exportJson: named('export.json'),
    moveToFolder: named('conversations.moveToFolder'),
    setArchived: named('conversations.setArchived'),
    newChat: () => Promise.resolve(),
    loadSidebarPage: (key) => {
      calls.push(`loadSidebarPage:${key}`);
      return Promise.resolve();
    },
  };
  return { calls, ...actions };
}

describe('sidebar actions', () => {
  it('creates a folder and files the conversation that asked for it', async () => {
    const store = createAppStore();
    store.getState().conversationsLoaded([conversation('a')]);
    const backEnd = fakeBackEnd(store);
    const sidebar = createSidebarActions(backEnd, store);
    const folder = await sidebar.createFolder('Work', 'a');
    expect(folder?.id).toBe('f1');
    expect(backEnd.calls).toEqual(['folders.create', 'conversations.moveToFolder']);
    expect(store.getState().folders.map((f) => f.name)).toEqual(['Work']);
    expect(store.getState().conversations[0]?.folderId).toBe('f1');
  });

  it('changes nothing when the folder is refused (the error is shown by call)', async () => {
    const store = createAppStore();
    const backEnd = fakeBackEnd(store);
    expect(await createSidebarActions(backEnd, store).createFolder('Taken', 'a')).toBeNull();
    expect(backEnd.calls).toEqual(['folders.create']);
    expect(store.getState().folders).toEqual([]);
  });

  it('moving into a folded folder unfolds it; deleting a folder keeps its conversations', async () => {
    const store = createAppStore();
    store.getState().foldersLoaded([{ id: 'f1', name: 'Work', createdAt: 1 }]);
    store.getState().conversationsLoaded([conversation('a')]);
    store.getState().folderToggled('f1');
    const backEnd = fakeBackEnd(store);
    const sidebar = createSidebarActions(backEnd, store);
    await sidebar.moveToFolder('a', 'f1');
    expect(store.getState().collapsedFolderIds).toEqual([]);
    await sidebar.deleteFolder('f1');
    expect(store.getState().conversations.map((c) => [c.id, c.folderId])).toEqual([['a', null]]);
    // The unfiled list is read again from its top, where the folder's conversations may now be.
    expect(backEnd.calls.slice(-2)).toEqual(['folders.delete', 'loadSidebarPage:unfiled']);
    expect(store.getState().sidebarPages.unfiled).toBeUndefined();
  });

  it('archiving offers Undo; unarchiving withdraws the offer', async () => {
    const store = createAppStore();
    store.getState().conversationsLoaded([conversation('a')]);
    const sidebar = createSidebarActions(fakeBackEnd(store), store);
    await sidebar.setArchived('a', true);
    expect(store.getState().conversations[0]?.archived).toBe(true);
    expect(store.getState().undoableArchive?.id).toBe('a');
    await sidebar.setArchived('a', false);
    expect(store.getState().conversations[0]?.archived).toBe(false);
    expect(store.getState().undoableArchive).toBeNull();
  });
});
