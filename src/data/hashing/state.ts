/**
 * cairn's hash cache: the MD5 of each workspace file, keyed by its path and valid only while its
 * inode, mtime and size are unchanged (the same rule as DVC's state db), so an unchanged tree is
 * never read again. Kept as one text file, `.dvc/tmp/cairn-hashes`, beside DVC's own scratch
 * files and never inside them: one read loads it (100,000 entries in tens of milliseconds, where
 * a SQLite row-by-row load took hundreds), and `flush()` rewrites it whole under a temporary name.
 *
 * Format: a header line, then one line per file: `<ino> <mtimeMs> <size> <md5> <path>`.
 */
import { readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SeenStat } from './jobs.js';

const HEADER = 'cairn-hashes 1';
const FILE = 'cairn-hashes';
// The SQLite hash cache of earlier versions: removed on the first write, its hashes are re-learned.
const OLD_FILE = 'cairn-hashes.db';

/** `<ino> <mtimeMs> <size> `: JS prints numbers in their shortest round-trip form, so equal stats give equal text. */
const statKey = (stat: SeenStat): string => `${stat.ino} ${stat.mtimeMs} ${stat.size} `;

interface FileVersion {
  readonly mtimeMs: number;
  readonly size: number;
}

/** Read a hash-cache file into `into` (path -> `<stat key><md5>`); a missing or foreign file reads as empty. */
function load(file: string, into: Map<string, string>): FileVersion | undefined {
  let text: string;
  let version: FileVersion;
  try {
    const st = statSync(file);
    version = { mtimeMs: st.mtimeMs, size: st.size };
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  if (!text.startsWith(`${HEADER}\n`)) return version;
  let start = HEADER.length + 1;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    // The path starts after the fourth space; the first three fields are numbers and the md5 is hex.
    let cut = start;
    for (let spaces = 0; spaces < 4 && cut >= 0; spaces++) cut = text.indexOf(' ', cut + 1);
    if (cut > start && cut < end) into.set(text.slice(cut + 1, end), text.slice(start, cut));
    start = end + 1;
  }
  return version;
}

/** A loaded hash cache; lookups are in memory, new hashes are written by `flush()`. */
export class HashState {
  private entries: Map<string, string> | undefined;
  private loadedVersion: FileVersion | undefined;
  private readonly dirty = new Map<string, string>();
  private readonly file: string;

  private constructor(private readonly dir: string) {
    this.file = join(dir, FILE);
  }

  /** Open (or create) the hash cache in a repository's scratch folder. */
  static open(tmpDir: string): HashState {
    return new HashState(tmpDir);
  }

  private all(): Map<string, string> {
    if (this.entries === undefined) {
      this.entries = new Map();
      this.loadedVersion = load(this.file, this.entries);
    }
    return this.entries;
  }

  /** The known MD5 of a file, if its inode, size and mtime still match. */
  lookup(path: string, stat: SeenStat): string | undefined {
    const value = this.all().get(path);
    if (value === undefined) return undefined;
    const key = statKey(stat);
    return value.length === key.length + 32 && value.startsWith(key) ? value.slice(key.length) : undefined;
  }

  /** Remember a file's MD5 for the stat it had when it was hashed. */
  record(path: string, stat: SeenStat, md5: string): void {
    // A newline in a name would break the line format: such files are simply hashed every time.
    if (path.includes('\n')) return;
    const value = `${statKey(stat)}${md5}`;
    this.all().set(path, value);
    this.dirty.set(path, value);
  }

  /**
   * Write the cache when something new was learned: the whole file under a temporary name, then
   * a rename, so a reader never sees half of it. If another process wrote it since it was loaded,
   * its entries are merged in first (ours win), so two commands at once lose nothing but time.
   */
  flush(): void {
    if (this.dirty.size === 0) return;
    const entries = this.all();
    let current: FileVersion | undefined;
    try {
      const st = statSync(this.file);
      current = { mtimeMs: st.mtimeMs, size: st.size };
    } catch {
      current = undefined;
    }
    const changed = current !== undefined && (this.loadedVersion === undefined || current.mtimeMs !== this.loadedVersion.mtimeMs || current.size !== this.loadedVersion.size);
    if (changed) {
      load(this.file, entries);
      for (const [path, value] of this.dirty) entries.set(path, value);
    }
    const lines = [HEADER];
    for (const [path, value] of entries) lines.push(`${value} ${path}`);
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${lines.join('\n')}\n`);
    renameSync(tmp, this.file);
    const st = statSync(this.file);
    this.loadedVersion = { mtimeMs: st.mtimeMs, size: st.size };
    this.dirty.clear();
    for (const old of [OLD_FILE, `${OLD_FILE}-wal`, `${OLD_FILE}-shm`]) {
      try {
        unlinkSync(join(this.dir, old));
      } catch {
        // Not there: nothing to tidy.
      }
    }
  }

  close(): void {
    this.flush();
  }
}
