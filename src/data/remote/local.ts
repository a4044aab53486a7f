/** A remote that is a folder on this machine (or a mounted share), as `dvc remote add r /path`. */
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { access, copyFile, mkdir, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { objectKey, type DataRemote } from './types.js';

// Above this many objects, listing the prefix folders is cheaper than a check per object.
const LIST_ABOVE = 64;

/** The names in a folder, none when it does not exist (a remote's prefix folders appear on demand). */
function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Open a folder remote; the folder is created on first upload. */
export function localRemote(name: string, url: string, folder: string): DataRemote {
  const pathOf = (oid: string): string => join(folder, ...objectKey(oid).split('/'));
  return {
    name,
    url,
    capabilities: { localFiles: true, existsIsRemoteCall: false },
    async has(oids) {
      const found = new Set<string>();
      if (oids.length <= LIST_ABOVE) {
        await Promise.all(oids.map((oid) => access(pathOf(oid)).then(() => found.add(oid), () => undefined)));
        return found;
      }
      // One readdir per prefix folder the wanted objects fall in (at most 256), not one stat per object.
      const wanted = new Set(oids);
      for (const prefix of new Set(oids.map((oid) => oid.slice(0, 2)))) {
        for (const rest of namesIn(join(folder, 'files', 'md5', prefix))) if (wanted.has(prefix + rest)) found.add(prefix + rest);
      }
      return found;
    },
    async list() {
      const found = new Set<string>();
      const root = join(folder, 'files', 'md5');
      for (const prefix of namesIn(root)) {
        if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
        for (const rest of namesIn(join(root, prefix))) if (/^[0-9a-f]{30}(\.dir)?$/.test(rest)) found.add(prefix + rest);
      }
      return found;
    },
    async upload(oid, file) {
      const final = pathOf(oid);
      await mkdir(dirname(final), { recursive: true });
      // A crash leaves at most a dot-named temporary file, which is not a valid object name for DVC or list().
      const tmp = join(dirname(final), `.${oid.slice(2)}.cairn-tmp-${randomBytes(6).toString('hex')}`);
      try {
        await copyFile(file, tmp);
        await rename(tmp, final);
      } catch (error) {
        await unlink(tmp).catch(() => undefined);
        throw error;
      }
    },
    async download(oid, dst) {
      await copyFile(pathOf(oid), dst);
    },
    localPath: pathOf,
    async remove(oids) {
      await Promise.all(oids.map((oid) => unlink(pathOf(oid)).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      })));
    },
    async close() {},
  };
}
