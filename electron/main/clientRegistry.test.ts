import { describe, expect, it } from 'vitest';
import { IPC_EVENT_CHANNEL, type AnyEvent } from '../../shared/contract';
import { createClientRegistry, type EventSink } from './clientRegistry';

function fakeCore() {
  const delivers = new Map<string, (event: AnyEvent) => void>();
  const disconnected: string[] = [];
  let next = 0;
  return {
    delivers,
    disconnected,
    connectClient(deliver: (event: AnyEvent) => void) {
      const id = `client-${++next}`;
      delivers.set(id, deliver);
      return id;
    },
    disconnectClient(clientId: string) {
      disconnected.push(clientId);
      delivers.delete(clientId);
    },
  };
}

function fakeSink(id: number) {
  const sent: [string, AnyEvent][] = [];
  let destroyed = false;
  const sink: EventSink = {
    id,
    isDestroyed: () => destroyed,
    send: (channel, event) => sent.push([channel, event]),
  };
  return { sink, sent, destroy: () => (destroyed = true) };
}

const delta: AnyEvent = { name: 'chat.delta', payload: { streamId: 's1', seq: 0, text: 'Hi' } };

describe('createClientRegistry', () => {
  it('connects one client per webContents, lazily, and reuses it', () => {
    const core = fakeCore();
    const registry = createClientRegistry(core);
    const a = fakeSink(1);
    const b = fakeSink(2);
    expect(core.delivers.size).toBe(0);
    const first = registry.clientFor(a.sink);
    expect(registry.clientFor(a.sink)).toBe(first);
    expect(registry.clientFor(b.sink)).not.toBe(first);
    expect(core.delivers.size).toBe(2);
  });

  it('delivers events on the event channel while the webContents lives', () => {
    const core = fakeCore();
    const registry = createClientRegistry(core);
    const a = fakeSink(1);
    const clientId = registry.clientFor(a.sink);
    core.delivers.get(clientId)?.(delta);
    expect(a.sent).toEqual([[IPC_EVENT_CHANNEL, delta]]);

    a.destroy();
    core.delivers.get(clientId)?.(delta);
    expect(a.sent).toHaveLength(1);
  });

  it('disconnects on forget and reconnects a new client on the next call (reload)', () => {
    const core = fakeCore();
    const registry = createClientRegistry(core);
    const a = fakeSink(1);
    const before = registry.clientFor(a.sink);
    registry.forget(1);
    expect(core.disconnected).toEqual([before]);
    const after = registry.clientFor(a.sink);
    expect(after).not.toBe(before);

    registry.forget(1);
    registry.forget(1);
    registry.forget(99);
    expect(core.disconnected).toEqual([before, after]);
  });
});
