import type { Migration } from './migration';

/**
 * Whether a conversation loads the remote images its replies show without a click each time.
 * Off for every conversation, existing and new: an image URL can carry conversation text out.
 */
export const migration0006RemoteImages: Migration = {
  version: 6,
  name: 'remote-images',
  up(db) {
    db.exec(`
      ALTER TABLE conversations ADD COLUMN allow_remote_images INTEGER NOT NULL DEFAULT 0
        CHECK (allow_remote_images IN (0, 1));
    `);
  },
};
