import { describe, expect, it } from 'vitest';
import { decideCorrection, type CorrectionInput } from './correctionPolicy';

const drift: CorrectionInput = {
  policy: 'auto',
  verdict: 'mismatch',
  detected: 'en',
  asked: 'fr',
  correctiveAttempts: 0,
  completed: true,
};

describe('decideCorrection', () => {
  it('regenerates once with the strong rule under auto', () => {
    expect(decideCorrection(drift)).toEqual({
      action: 'regenerate',
      instructionStrength: 'strong',
    });
  });

  it('never regenerates a second time: the corrected reply that still drifts is offered instead', () => {
    expect(decideCorrection({ ...drift, correctiveAttempts: 1 })).toEqual({
      action: 'offer',
      detected: 'en',
      asked: 'fr',
    });
    expect(decideCorrection({ ...drift, correctiveAttempts: 5 }).action).toBe('offer');
  });

  it('offers a retry under ask, whatever the attempt count', () => {
    expect(decideCorrection({ ...drift, policy: 'ask' })).toEqual({
      action: 'offer',
      detected: 'en',
      asked: 'fr',
    });
  });

  it('does nothing when off, on a match, when unsure, without an asked language, or for an unfinished reply', () => {
    expect(decideCorrection({ ...drift, policy: 'off' })).toEqual({ action: 'none' });
    expect(decideCorrection({ ...drift, verdict: 'match', detected: 'fr' })).toEqual({
      action: 'none',
    });
    expect(decideCorrection({ ...drift, verdict: 'undetermined' })).toEqual({ action: 'none' });
    expect(decideCorrection({ ...drift, asked: null })).toEqual({ action: 'none' });
    expect(decideCorrection({ ...drift, completed: false })).toEqual({ action: 'none' });
    expect(decideCorrection({ ...drift, policy: 'ask', verdict: 'undetermined' })).toEqual({
      action: 'none',
    });
  });
});
