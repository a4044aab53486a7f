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

  constructor(private readonly root: string) {}

  private rulesOf(folder: string): Ignore | null {
    const known = this.byFolder.get(folder);
    if (known !== undefined) return known;
    const file = join(this.root, folder, '.dvcignore');
    const rules = existsSync(file) ? ignore().add(readFileSync(file, 'utf8')) : null;
    this.byFolder.set(folder, rules);
    return rules;
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
