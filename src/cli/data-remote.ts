/** `cairn data remote add|list|default|modify`. */
import type { Command } from 'commander';
import { openData } from '../data/index.js';
import { fail } from './output.js';

async function withData<T>(create: boolean, fn: (data: ReturnType<typeof openData>) => T | Promise<T>): Promise<T> {
  const data = openData({ cwd: process.cwd(), create });
  try {
    return await fn(data);
  } finally {
    await data.close();
  }
}

/** Register `cairn data remote ...` under the `data` command. */
export function registerDataRemoteCommand(data: Command): void {
  const remote = data.command('remote').description('Configure where data is pushed to and pulled from (DVC remotes in .dvc/config)');
  remote
    .command('add <name> <url>')
    .description('Add a remote: a folder path, s3://bucket/prefix, or a cairn server (cairn://host:port, cairns://host for HTTPS)')
    .option('-d, --default', 'make it the default remote')
    .option('--local', 'write to .dvc/config.local (not committed to git)')
    .option('-f, --force', 'replace a remote with the same name')
    .action(async (name: string, url: string, o: { default?: boolean; local?: boolean; force?: boolean }) => {
      await withData(true, (d) => {
        d.remotes.add(name, url, { makeDefault: o.default === true, local: o.local === true, force: o.force === true });
        process.stdout.write(`added remote '${name}' (${url})${o.default ? ' as the default' : ''}\n`);
      }).catch(fail);
    });
  remote
    .command('list')
    .description('List the configured remotes')
    .action(async () => {
      await withData(false, (d) => {
        for (const r of d.remotes.list()) process.stdout.write(`${r.name}\t${r.url}${r.isDefault ? ' (default)' : ''}\n`);
      }).catch(fail);
    });
  remote
    .command('default [name]')
    .description('Show or set the default remote')
    .option('--local', 'write to .dvc/config.local')
    .action(async (name: string | undefined, o: { local?: boolean }) => {
      await withData(false, (d) => {
        if (name === undefined) {
          const current = d.remotes.list().find((r) => r.isDefault);
          process.stdout.write(current ? `${current.name}\n` : 'no default remote\n');
        } else {
          d.remotes.setDefault(name, o.local === true);
          process.stdout.write(`default remote is now '${name}'\n`);
        }
      }).catch(fail);
    });
  remote
    .command('modify <name> <option> [value]')
    .description('Set a remote option: endpointurl, region, access_key_id, secret_access_key, url, token (a cairn API token; use --local to keep it out of git)')
    .option('--local', 'write to .dvc/config.local (use this for credentials)')
    .option('-u, --unset', 'remove the option')
    .action(async (name: string, option: string, value: string | undefined, o: { local?: boolean; unset?: boolean }) => {
      await withData(false, (d) => {
        d.remotes.modify(name, option, o.unset ? undefined : (value ?? ''), o.local === true);
      }).catch(fail);
    });
}
