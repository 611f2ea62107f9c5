import { describe, expect, it, vi } from 'vitest';
import {
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  type AnyEvent,
  type MethodName,
} from '../../shared/contract';
import { createPreloadBridge, type BridgeIpc } from './bridge';

type Listener = (event: unknown, ...args: unknown[]) => void;

function fakeIpc(
  reply: (...args: unknown[]) => Promise<unknown> = () => Promise.resolve({ ok: true, value: 1 }),
) {
  const listeners = new Map<string, Set<Listener>>();
  const invoke = vi.fn(reply);
  const ipc = {
    invoke,
    on(channel: string, listener: Listener) {
      const set = listeners.get(channel) ?? new Set<Listener>();
      set.add(listener);
      listeners.set(channel, set);
      return ipc;
    },
    removeListener(channel: string, listener: Listener) {
      listeners.get(channel)?.delete(listener);
      return ipc;
    },
  };
  const emit = (payload: unknown) => {
    const rendererEvent = { sender: ipc, ports: [] };
    for (const listener of listeners.get(IPC_EVENT_CHANNEL) ?? []) listener(rendererEvent, payload);
  };
  return { ipc: ipc as unknown as BridgeIpc, invoke, emit, listeners };
}

const delta: AnyEvent = { name: 'chat.delta', payload: { streamId: 's1', seq: 0, text: 'Hi' } };

describe('createPreloadBridge', () => {
  it('exposes exactly invoke and onEvent', () => {
    expect(Object.keys(createPreloadBridge(fakeIpc().ipc)).sort()).toEqual(['invoke', 'onEvent']);
  });

  it('forwards contract methods on the invoke channel and returns the main side’s Result', async () => {
    const { ipc, invoke } = fakeIpc();
    const bridge = createPreloadBridge(ipc);
    await expect(bridge.invoke('conversations.list', {})).resolves.toEqual({ ok: true, value: 1 });
    expect(invoke).toHaveBeenCalledWith(IPC_INVOKE_CHANNEL, 'conversations.list', {});
  });

  it.each(['settings.set', '__proto__', 'constructor', 'hasOwnProperty', '', 42, null])(
    'refuses %s without reaching the main process',
    async (name) => {
      const { ipc, invoke } = fakeIpc();
      const result = await createPreloadBridge(ipc).invoke(name as MethodName, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', retryable: false } });
      expect(invoke).not.toHaveBeenCalled();
    },
  );

  it('turns a failed delivery into a failure Result instead of a rejection', async () => {
    const { ipc } = fakeIpc(() => Promise.reject(new Error('An object could not be cloned.')));
    await expect(createPreloadBridge(ipc).invoke('settings.get', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
  });

  it('passes only contract events, and only the event object, to listeners', () => {
    const { ipc, emit } = fakeIpc();
    const listener = vi.fn();
    createPreloadBridge(ipc).onEvent(listener);
    emit(delta);
    emit({ name: 'chat.unknown', payload: {} });
    emit({ name: 'toString', payload: {} });
    emit('chat.delta');
    emit(null);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0]).toEqual([delta]);
  });

  it('unsubscribes, once, and keeps other listeners when one throws', () => {
    const { ipc, emit, listeners } = fakeIpc();
    const bridge = createPreloadBridge(ipc);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const failing = bridge.onEvent(() => {
      throw new Error('page bug');
    });
    const kept = vi.fn();
    const unsubscribe = bridge.onEvent(kept);
    emit(delta);
    expect(kept).toHaveBeenCalledTimes(1);
    expect(errors).toHaveBeenCalledTimes(1);

    unsubscribe();
    unsubscribe();
    failing();
    emit(delta);
    expect(kept).toHaveBeenCalledTimes(1);
    expect(listeners.get(IPC_EVENT_CHANNEL)?.size).toBe(0);
    errors.mockRestore();
  });
});
