import type { Db } from '../openDatabase';
import { prepared } from '../statements';

/** A folder of conversations. */
export interface Folder {
  id: string;
  name: string;
  createdAt: number;
}

interface FolderRow {
  id: string;
  name: string;
  created_at: number;
}

const toFolder = (row: FolderRow): Folder => ({
  id: row.id,
  name: row.name,
  createdAt: row.created_at,
});

/** Creates a folder; throws (UNIQUE) when the name is taken. */
export function insertFolder(db: Db, folder: Folder): void {
  prepared(db, 'INSERT INTO folders (id, name, created_at) VALUES (?, ?, ?)').run(
    folder.id,
    folder.name,
    folder.createdAt,
  );
}

/** Every folder, by name. */
export function listFolders(db: Db): Folder[] {
  return prepared<[], FolderRow>(db, 'SELECT id, name, created_at FROM folders ORDER BY name, id')
    .all()
    .map(toFolder);
}

/** One folder, or undefined. */
export function findFolder(db: Db, id: string): Folder | undefined {
  const row = prepared<[string], FolderRow>(
    db,
    'SELECT id, name, created_at FROM folders WHERE id = ?',
  ).get(id);
  return row && toFolder(row);
}

/** The folder with this exact name, or undefined. */
export function findFolderByName(db: Db, name: string): Folder | undefined {
  const row = prepared<[string], FolderRow>(
    db,
    'SELECT id, name, created_at FROM folders WHERE name = ?',
  ).get(name);
  return row && toFolder(row);
}

/** Renames a folder; throws (UNIQUE) when the name is taken. Returns false when not found. */
export function renameFolder(db: Db, id: string, name: string): boolean {
  return prepared(db, 'UPDATE folders SET name = ? WHERE id = ?').run(name, id).changes === 1;
}

/** Deletes a folder; its conversations stay, outside any folder (ON DELETE SET NULL). */
export function deleteFolder(db: Db, id: string): boolean {
  return prepared(db, 'DELETE FROM folders WHERE id = ?').run(id).changes === 1;
}
