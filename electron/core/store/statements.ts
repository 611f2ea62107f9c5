import type { Statement } from 'better-sqlite3';
import type { Db } from './openDatabase';

const cache = new WeakMap<Db, Map<string, Statement>>();

/** Prepares a statement once per connection and reuses it after that. */
export function prepared<Params extends unknown[] | object = unknown[], Row = unknown>(
  db: Db,
  sql: string,
): Statement<Params, Row> {
  let statements = cache.get(db);
  if (!statements) {
    statements = new Map();
    cache.set(db, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    statements.set(sql, statement);
  }
  return statement as unknown as Statement<Params, Row>;
}
