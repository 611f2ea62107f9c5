import { describe, expect, it } from 'vitest';
import { EAGER_TAIL_CHARS, GROUP_BLOCKS, LAZY_MESSAGE_CHARS, planGroups } from './blockGroups';

const blocks = (count: number, chars = 10) =>
  Array.from({ length: count }, (_, i) => `${i}`.padEnd(chars, '.'));

describe('planGroups', () => {
  it('groups finished blocks by GROUP_BLOCKS, the last group partial', () => {
    const plans = planGroups(blocks(GROUP_BLOCKS * 2 + 5), 1_000);
    expect(plans.map(({ start, end }) => [start, end])).toEqual([
      [0, GROUP_BLOCKS],
      [GROUP_BLOCKS, GROUP_BLOCKS * 2],
      [GROUP_BLOCKS * 2, GROUP_BLOCKS * 2 + 5],
    ]);
    expect(planGroups([], 0)).toEqual([]);
  });

  it('keeps full groups the same as blocks are appended, so they are not rendered again', () => {
    const list = blocks(GROUP_BLOCKS + 1);
    const before = planGroups(list, 1_000);
    list.push('new');
    const after = planGroups(list, 1_000);
    expect(after[0]).toEqual(before[0]);
    expect(after[1]).toEqual({ start: GROUP_BLOCKS, end: GROUP_BLOCKS + 2, eager: true });
  });

  it('parses every group of an ordinary message at once', () => {
    expect(planGroups(blocks(500), LAZY_MESSAGE_CHARS - 1).every((p) => p.eager)).toBe(true);
  });

  it('in a very long message, parses at once only the groups holding its last characters', () => {
    const chars = 500;
    const list = blocks(GROUP_BLOCKS * 40, chars);
    const plans = planGroups(list, list.length * chars);
    const eager = plans.filter((p) => p.eager);
    const groupChars = GROUP_BLOCKS * chars;
    expect(eager).toHaveLength(Math.ceil(EAGER_TAIL_CHARS / groupChars));
    expect(eager.at(-1)).toBe(plans.at(-1));
    expect(plans[0]!.eager).toBe(false);
  });
});
