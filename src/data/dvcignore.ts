/**
 * `.dvcignore` files, as DVC reads them (dvc/ignore.py): gitignore patterns, one file per folder,
 * each applying to the paths below its own folder; a deeper file can re-include what a shallower
 * one excluded. Paths here are relative to the repository root, with '/' separators.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ignorePackage, { type Ignore } from 'ignore';

// The package is CommonJS (`module.exports = factory`) with ES-module typings; under Node's ESM
// loader its default import is the factory itself.
const ignore = ignorePackage as unknown as () => Ignore;

/** The rules in force for a repository, loaded lazily folder by folder and kept per folder. */
export class DvcIgnore {
  private readonly byFolder = new Map<string, Ignore | null>();
  private readonly below = new Map<string, boolean>();

  constructor(private readonly root: string) {}

  private rulesOf(folder: string): Ignore | null {
    const known = this.byFolder.get(folder);
    if (known !== undefined) return known;
    const file = join(this.root, folder, '.dvcignore');
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    // A file of comments only (what `dvc init` writes) filters nothing: skip it per path.
    const patterns = text.split(/\r?\n/).some((line) => line.trim() !== '' && !line.startsWith('#'));
    const rules = patterns ? ignore().add(text) : null;
    this.byFolder.set(folder, rules);
    return rules;
  }

  /**
   * Whether any .dvcignore file applies to the entries of `folder` (its own or a parent's), so a
   * walk over a tree without rules asks once per folder rather than once per file.
   */
  appliesIn(folder: string): boolean {
    const known = this.below.get(folder);
    if (known !== undefined) return known;
    const cut = folder.lastIndexOf('/');
    const applies = this.rulesOf(folder) !== null || (folder !== '' && this.appliesIn(cut < 0 ? '' : folder.slice(0, cut)));
    this.below.set(folder, applies);
    return applies;
  }

  /** Whether the file or folder at `rel` is ignored by the .dvcignore files above it. */
  ignores(rel: string, isDir: boolean): boolean {
    const parts = rel.split('/');
    let ignored = false;
    for (let depth = 0; depth < parts.length; depth++) {
      const folder = parts.slice(0, depth).join('/');
      const rules = this.rulesOf(folder);
      if (!rules) continue;
      const below = parts.slice(depth).join('/') + (isDir ? '/' : '');
      const verdict = rules.test(below);
      if (verdict.ignored) ignored = true;
      else if (verdict.unignored) ignored = false;
    }
    return ignored;
  }
}
