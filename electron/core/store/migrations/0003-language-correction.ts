import type { Migration } from './migration';

/**
 * Each conversation's policy for replies in the wrong language: `auto` regenerates once with a
 * stronger instruction, `ask` offers to, `off` leaves them. Existing conversations get `auto`.
 */
export const migration0003LanguageCorrection: Migration = {
  version: 3,
  name: 'language-correction',
  up(db) {
    db.exec(`
      ALTER TABLE conversations ADD COLUMN language_correction TEXT NOT NULL DEFAULT 'auto'
        CHECK (language_correction IN ('auto', 'ask', 'off'));
    `);
  },
};
