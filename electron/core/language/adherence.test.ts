import { describe, expect, it } from 'vitest';
import { assessReply, createStreamingLanguageCheck } from './detectLanguage';
import { ADHERENCE_CASES } from './fixtures/adherenceCases';

describe('scripted adherence cases', () => {
  it('has at least 30 cases across at least 6 languages', () => {
    expect(ADHERENCE_CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(ADHERENCE_CASES.map((c) => c.asked)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(ADHERENCE_CASES.map((c) => c.id)).size).toBe(ADHERENCE_CASES.length);
  });

  it('catches every drift and raises no false alarm, on the whole reply and while streaming', () => {
    const drifts = ADHERENCE_CASES.filter((c) => c.expected === 'mismatch');
    const others = ADHERENCE_CASES.filter((c) => c.expected !== 'mismatch');
    const missed: string[] = [];
    const falseAlarms: string[] = [];
    const otherDifferences: string[] = [];
    for (const c of ADHERENCE_CASES) {
      const final = assessReply(c.reply, c.asked);
      const check = createStreamingLanguageCheck(c.asked);
      for (const token of c.reply.match(/[\s\S]{1,4}/g) ?? []) check.push(token);
      const streamed = check.finish();
      const label = `${c.id}: expected ${c.expected}, got ${final.verdict} (detected ${final.detected}, early ${check.early?.verdict ?? '–'})`;
      if (c.expected === 'mismatch') {
        if (final.verdict !== 'mismatch' || streamed.verdict !== 'mismatch') missed.push(label);
      } else if (
        final.verdict === 'mismatch' ||
        streamed.verdict === 'mismatch' ||
        check.early?.verdict === 'mismatch'
      ) {
        falseAlarms.push(label);
      } else if (final.verdict !== c.expected) {
        otherDifferences.push(label);
      }
    }
    console.log(
      [
        `Adherence: ${drifts.length - missed.length}/${drifts.length} drifts caught, ` +
          `${falseAlarms.length} false alarms in ${others.length} non-drift cases, ` +
          `${otherDifferences.length} match/undetermined differences`,
        ...missed.map((line) => `  missed: ${line}`),
        ...falseAlarms.map((line) => `  false alarm: ${line}`),
        ...otherDifferences.map((line) => `  differs: ${line}`),
      ].join('\n'),
    );
    expect(missed).toEqual([]);
    expect(falseAlarms).toEqual([]);
    expect(otherDifferences).toEqual([]);
  });
});
