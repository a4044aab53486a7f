/**
 * cairn's hash cache: the MD5 of each workspace file, keyed by its path and valid only while its
 * inode, size and mtime are unchanged (the same rule as DVC's state db), so an unchanged tree is
 * never read again. Kept in SQLite at `.dvc/tmp/cairn-hashes.db`, beside DVC's own scratch
 * files and never inside them.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { SeenStat } from './jobs.js';

interface Row {
  path: string;
  ino: number;
  mtime: number;
  size: number;
  md5: string;
}

/** A loaded hash cache; lookups are in memory, new hashes are written by `flush()`. */
export class HashState {
  private readonly db: Database.Database;
  private rows: Map<string, Row> | undefined;
  private readonly dirty = new Map<string, Row>();

  private constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec('CREATE TABLE IF NOT EXISTS hashes (path TEXT PRIMARY KEY, ino INTEGER NOT NULL, mtime REAL NOT NULL, size INTEGER NOT NULL, md5 TEXT NOT NULL) WITHOUT ROWID');
  }

  /** Open (or create) the hash cache in a repository's scratch folder. */
  static open(tmpDir: string): HashState {
    return new HashState(join(tmpDir, 'cairn-hashes.db'));
  }

  private all(): Map<string, Row> {
    if (this.rows === undefined) {
      this.rows = new Map();
      for (const row of this.db.prepare('SELECT path, ino, mtime, size, md5 FROM hashes').iterate() as Iterable<Row>) this.rows.set(row.path, row);
    }
    return this.rows;
  }

  /** The known MD5 of a file, if its inode, size and mtime still match. */
  lookup(path: string, stat: SeenStat): string | undefined {
    const row = this.all().get(path);
    if (row === undefined || row.ino !== stat.ino || row.size !== stat.size || row.mtime !== stat.mtimeMs) return undefined;
    return row.md5;
  }

  /** Remember a file's MD5 for the stat it had when it was hashed. */
  record(path: string, stat: SeenStat, md5: string): void {
    const row = { path, ino: stat.ino, mtime: stat.mtimeMs, size: stat.size, md5 };
    this.all().set(path, row);
    this.dirty.set(path, row);
  }

  /** Write new hashes in one transaction. */
  flush(): void {
    if (this.dirty.size === 0) return;
    const upsert = this.db.prepare('INSERT INTO hashes (path, ino, mtime, size, md5) VALUES (@path, @ino, @mtime, @size, @md5) ON CONFLICT(path) DO UPDATE SET ino = excluded.ino, mtime = excluded.mtime, size = excluded.size, md5 = excluded.md5');
    this.db.transaction((rows: Row[]) => {
      for (const row of rows) upsert.run(row);
    })([...this.dirty.values()]);
    this.dirty.clear();
  }

  close(): void {
    this.flush();
    this.db.close();
  }
}
