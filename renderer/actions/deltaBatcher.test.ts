import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StreamEvent } from '../stores/threadSlice';
import {
  createDeltaBatcher,
  DELTA_COMMIT_MS,
  LONG_REPLY_CHARS,
  LONG_REPLY_COMMIT_MS,
} from './deltaBatcher';

const delta = (streamId: string, seq: number, text: string) =>
  ({ name: 'chat.delta', payload: { streamId, seq, text } }) as const;

describe('createDeltaBatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('applies the deltas of one interval together, in order', () => {
    const batches: StreamEvent[][] = [];
    const batcher = createDeltaBatcher((batch) => batches.push(batch));
    batcher.delta(delta('s1', 0, 'Bon'));
    vi.advanceTimersByTime(DELTA_COMMIT_MS - 1);
    batcher.delta(delta('s1', 1, 'jour'));
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(batches).toEqual([[delta('s1', 0, 'Bon'), delta('s1', 1, 'jour')]]);
    vi.advanceTimersByTime(DELTA_COMMIT_MS * 5);
    expect(batches).toHaveLength(1);
  });

  it('commits less often once a reply is long', () => {
    const batches: StreamEvent[][] = [];
    const batcher = createDeltaBatcher((batch) => batches.push(batch));
    batcher.delta(delta('s1', 0, 'x'.repeat(LONG_REPLY_CHARS)));
    vi.advanceTimersByTime(DELTA_COMMIT_MS);
    expect(batches).toHaveLength(1);
    batcher.delta(delta('s1', 1, 'more'));
    vi.advanceTimersByTime(DELTA_COMMIT_MS);
    expect(batches).toHaveLength(1);
    vi.advanceTimersByTime(LONG_REPLY_COMMIT_MS - DELTA_COMMIT_MS);
    expect(batches).toHaveLength(2);
    // A new stream starts short again.
    batcher.ended('s1');
    batcher.delta(delta('s1', 0, 'again'));
    vi.advanceTimersByTime(DELTA_COMMIT_MS);
    expect(batches).toHaveLength(3);
  });

  it('flushes at once, before a stream ends, and not twice', () => {
    const batches: StreamEvent[][] = [];
    const batcher = createDeltaBatcher((batch) => batches.push(batch));
    batcher.delta(delta('s1', 0, 'last words'));
    batcher.flush();
    expect(batches).toEqual([[delta('s1', 0, 'last words')]]);
    batcher.flush();
    vi.advanceTimersByTime(LONG_REPLY_COMMIT_MS);
    expect(batches).toHaveLength(1);
  });
});
