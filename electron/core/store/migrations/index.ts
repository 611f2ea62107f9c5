import type { Migration } from './migration';
import { migration0001Initial } from './0001-initial';
import { migration0002HistoryFeatures } from './0002-history-features';
import { migration0003LanguageCorrection } from './0003-language-correction';
import { migration0004CjkPairs } from './0004-cjk-pairs';
import { migration0005IndexFinishedMessages } from './0005-index-finished-messages';
import { migration0006RemoteImages } from './0006-remote-images';
import { migration0007FoldSearchIndex } from './0007-fold-search-index';

/** Every migration, in order. Append only: a shipped migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [
  migration0001Initial,
  migration0002HistoryFeatures,
  migration0003LanguageCorrection,
  migration0004CjkPairs,
  migration0005IndexFinishedMessages,
  migration0006RemoteImages,
  migration0007FoldSearchIndex,
];

/** The schema version this build writes. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
