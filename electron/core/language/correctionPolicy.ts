import type { ReplyLanguageCode } from '../../../shared/languages';
import type { DetectedLanguage, LanguageVerdict } from './detectLanguage';

/** What to do when a reply comes back in the wrong language: fix it, offer to, or leave it. */
export type CorrectionPolicy = 'auto' | 'ask' | 'off';

/** The decision for one finished reply. */
export type CorrectionDecision =
  | { action: 'none' }
  | { action: 'regenerate'; instructionStrength: 'strong' }
  | { action: 'offer'; detected: DetectedLanguage; asked: ReplyLanguageCode };

/** Everything the decision depends on, gathered by the chat service. */
export interface CorrectionInput {
  policy: CorrectionPolicy;
  verdict: LanguageVerdict;
  detected: DetectedLanguage;
  /** The concrete language asked for; null when no rule was sent (`auto` could not tell). */
  asked: ReplyLanguageCode | null;
  /** How many automatic corrective regenerations this reply has already had. */
  correctiveAttempts: number;
  /** Whether the reply finished normally; cancelled or failed replies are never corrected. */
  completed: boolean;
}

/** Automatic corrections per reply: one, so a model that cannot comply never loops. */
export const MAX_CORRECTIVE_ATTEMPTS = 1;

/**
 * Decides what happens after a reply: `auto` regenerates once with the strong rule, then falls
 * back to offering; `ask` offers a one-click retry; `off`, a match, or an unsure verdict do nothing.
 */
export function decideCorrection(input: CorrectionInput): CorrectionDecision {
  if (input.policy === 'off' || !input.completed || !input.asked) return { action: 'none' };
  if (input.verdict !== 'mismatch') return { action: 'none' };
  if (input.policy === 'auto' && input.correctiveAttempts < MAX_CORRECTIVE_ATTEMPTS) {
    return { action: 'regenerate', instructionStrength: 'strong' };
  }
  return { action: 'offer', detected: input.detected, asked: input.asked };
}
