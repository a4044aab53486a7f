/**
 * `cairn data`: version data files and folders in any git repository, in DVC 3's formats, so
 * a team can use cairn and DVC side by side. Works without a server or a database.
 */
import type { Command } from 'commander';
import { openData, type DataService, type TransferResult } from '../data/index.js';
import { registerDataRemoteCommand } from './data-remote.js';
import { formatBytes, terminalProgress } from './data-progress.js';
import { fail } from './output.js';

interface CommonOptions {
  remote?: string;
  jobs?: string;
  json?: boolean;
  force?: boolean;
}

const out = (line: string): boolean => process.stdout.write(`${line}\n`);
const seconds = (started: number): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;

/** Open the service, run one command, close, and exit non-zero when the command reports failures. */
async function run(create: boolean, options: CommonOptions, fn: (data: DataService) => Promise<boolean | void>): Promise<void> {
  let data: DataService | undefined;
  try {
    const jobs = options.jobs === undefined ? undefined : Number(options.jobs);
    if (jobs !== undefined && !(Number.isInteger(jobs) && jobs > 0)) throw new Error(`--jobs must be a positive whole number, got '${options.jobs}'`);
    data = openData({ cwd: process.cwd(), create, progress: terminalProgress(), ...(jobs ? { jobs } : {}) });
    const ok = await fn(data);
    await data.close();
    if (ok === false) process.exitCode = 1;
  } catch (error) {
    await data?.close().catch(() => undefined);
    fail(error);
  }
}

function reportTransfer(verb: string, r: TransferResult, started: number): boolean {
  for (const f of r.failed.slice(0, 20)) process.stderr.write(`cairn: ${f.oid}: ${f.reason}\n`);
  if (r.failed.length > 20) process.stderr.write(`cairn: ... and ${r.failed.length - 20} more failures\n`);
  out(`${verb} ${r.transferred} objects (${formatBytes(r.bytes)}) in ${seconds(started)}; ${r.skipped} already there${r.failed.length ? `; ${r.failed.length} FAILED (run again to resume)` : ''}`);
  return r.failed.length === 0;
}

/** Register `cairn data` and its subcommands. */
export function registerDataCommand(program: Command): void {
  const data = program.command('data').description('Version data files and folders in DVC 3 format (works with dvc, without a server)');
  const remoteOpt = ['-r, --remote <name>', 'remote to use (default: core.remote)'] as const;
  const jobsOpt = ['-j, --jobs <n>', 'parallel transfers'] as const;

  data
    .command('add <paths...>')
    .description('Track files or folders: store them in the cache and write <path>.dvc')
    .action(async (paths: string[]) => {
      const started = Date.now();
      await run(true, {}, async (d) => {
        const added = await d.add(paths);
        const files = added.reduce((n, a) => n + (a.nfiles ?? 1), 0);
        const bytes = added.reduce((n, a) => n + a.size, 0);
        for (const a of added) out(`added ${a.path} -> ${a.dvcFile}`);
        out(`tracked ${added.length} outputs, ${files} files (${formatBytes(bytes)}) in ${seconds(started)}; commit the .dvc and .gitignore files with git`);
      });
    });

  data
    .command('status [targets...]')
    .description('Show tracked outputs that changed in the work tree (and, with -c, what a remote lacks)')
    .option(...remoteOpt)
    .option('-c, --cloud', 'also compare with the remote')
    .option('--json', 'print JSON')
    .action(async (targets: string[], o: CommonOptions & { cloud?: boolean }) => {
      const started = Date.now();
      await run(false, o, async (d) => {
        const remote = o.cloud || o.remote ? (o.remote ?? d.remotes.list().find((r) => r.isDefault)?.name) : undefined;
        if ((o.cloud || o.remote) && remote === undefined) throw new Error('no remote given and no default remote set');
        const status = await d.status(targets, remote === undefined ? {} : { remote });
        if (o.json) return void out(JSON.stringify(status));
        const changed = status.filter((s) => s.state !== 'unchanged' || !s.inCache || (s.missingOnRemote ?? 0) > 0);
        for (const s of changed) {
          const notes = [s.state !== 'unchanged' ? s.state : '', s.inCache ? '' : 'not in cache', s.missingOnRemote ? `${s.missingOnRemote} objects missing on remote` : ''].filter(Boolean);
          out(`${s.path}: ${notes.join(', ')}`);
        }
        out(changed.length === 0 ? `${status.length} outputs up to date (${seconds(started)})` : `${changed.length} of ${status.length} outputs need attention`);
      });
    });

  data
    .command('checkout [targets...]')
    .description('Make the work tree match the .dvc files, from the cache (verified by hash)')
    .option('-f, --force', 'overwrite changes that are not in the cache')
    .action(async (targets: string[], o: CommonOptions) => {
      const started = Date.now();
      await run(false, o, async (d) => {
        const r = await d.checkout(targets, { force: o.force === true });
        for (const f of r.failed) process.stderr.write(`cairn: ${f.path}: ${f.reason}\n`);
        out(`restored ${r.restored} files, removed ${r.removed}, ${r.unchanged} unchanged in ${seconds(started)}${r.failed.length ? `; ${r.failed.length} FAILED` : ''}`);
        return r.failed.length === 0;
      });
    });

  data
    .command('push [targets...]')
    .description('Upload cached data to a remote (resumable; folder manifests go last)')
    .option(...remoteOpt)
    .option(...jobsOpt)
    .action(async (targets: string[], o: CommonOptions) => {
      const started = Date.now();
      await run(false, o, async (d) => reportTransfer('pushed', await d.push(targets, o.remote), started));
    });

  data
    .command('fetch [targets...]')
    .description('Download data from a remote into the cache (verified by hash)')
    .option(...remoteOpt)
    .option(...jobsOpt)
    .action(async (targets: string[], o: CommonOptions) => {
      const started = Date.now();
      await run(false, o, async (d) => reportTransfer('fetched', await d.fetch(targets, o.remote), started));
    });

  data
    .command('pull [targets...]')
    .description('fetch, then checkout')
    .option(...remoteOpt)
    .option(...jobsOpt)
    .option('-f, --force', 'overwrite changes that are not in the cache')
    .action(async (targets: string[], o: CommonOptions) => {
      const started = Date.now();
      await run(false, o, async (d) => {
        const r = await d.pull(targets, { ...(o.remote ? { remote: o.remote } : {}), force: o.force === true });
        const fetched = reportTransfer('fetched', r.fetch, started);
        for (const f of r.checkout.failed) process.stderr.write(`cairn: ${f.path}: ${f.reason}\n`);
        out(`restored ${r.checkout.restored} files, ${r.checkout.unchanged} unchanged${r.checkout.failed.length ? `; ${r.checkout.failed.length} FAILED` : ''}`);
        return fetched && r.checkout.failed.length === 0;
      });
    });

  data
    .command('diff [rev-a] [rev-b]')
    .description('Files added, deleted, modified or renamed between two git revisions (default: HEAD and the work tree)')
    .option('--json', 'print JSON')
    .action(async (a: string | undefined, b: string | undefined, o: CommonOptions) => {
      await run(false, o, async (d) => {
        const r = await d.diff(a ?? 'HEAD', b);
        if (o.json) return void out(JSON.stringify(r));
        const section = (title: string, items: string[]): void => {
          if (items.length === 0) return;
          out(`${title}:`);
          for (const i of items) out(`    ${i}`);
        };
        section('Added', r.added);
        section('Deleted', r.deleted);
        section('Modified', r.modified);
        section('Renamed', r.renamed.map((x) => `${x.old} -> ${x.new}`));
        section('Not in cache (files not compared)', r.notInCache);
        const files = (xs: string[]): number => xs.filter((p) => !p.endsWith('/')).length;
        out(`files summary: ${files(r.added)} added, ${files(r.deleted)} deleted, ${r.renamed.length} renamed, ${files(r.modified)} modified`);
      });
    });

  data
    .command('gc')
    .description('Delete cached objects no .dvc file in the work tree (or, with -A, any commit) refers to')
    .option('-A, --all-commits', 'keep what any commit refers to')
    .option('-c, --cloud', 'also delete unreferenced objects from the remote (cannot be undone)')
    .option(...remoteOpt)
    .option('--dry-run', 'only count what would be deleted')
    .action(async (o: CommonOptions & { allCommits?: boolean; cloud?: boolean; dryRun?: boolean }) => {
      await run(false, o, async (d) => {
        const r = await d.gc({ allCommits: o.allCommits === true, cloud: o.cloud === true, dryRun: o.dryRun === true, ...(o.remote ? { remote: o.remote } : {}) });
        const verb = o.dryRun ? 'would remove' : 'removed';
        out(`${verb} ${r.removedLocal} cached objects${o.cloud ? ` and ${r.removedRemote} remote objects` : ''}; ${r.kept} objects in use`);
      });
    });

  data
    .command('ls [targets...]')
    .description('List tracked outputs (or, with --files, the files of tracked folders)')
    .option('--files', 'list the files inside tracked folders')
    .option('--json', 'print JSON')
    .action(async (targets: string[], o: CommonOptions & { files?: boolean }) => {
      await run(false, o, async (d) => {
        const entries = d.ls(targets, { files: o.files === true });
        if (o.json) return void out(JSON.stringify(entries));
        for (const e of entries) {
          const size = e.size === undefined ? '' : formatBytes(e.size);
          out(`${e.path}${e.isDir && !e.path.endsWith('/') ? '/' : ''}\t${size}${e.nfiles === undefined ? '' : `\t${e.nfiles} files`}${e.inCache ? '' : '\t(not in cache)'}`);
        }
      });
    });

  data
    .command('register <target>')
    .description('Record a tracked output as a new version of a dataset on a cairn server (pushed data is profiled there)')
    .requiredOption('-d, --dataset <name>', 'dataset name')
    .option('-s, --server <url>', 'cairn server URL (default: the remote, when it is a cairn:// remote)')
    .option(...remoteOpt)
    .option('--description <text>', 'dataset description')
    .option('--json', 'print the version as JSON')
    .action(async (target: string, o: CommonOptions & { dataset: string; server?: string; description?: string }) => {
      await run(false, o, async (d) => {
        const token = process.env['CAIRN_TOKEN'] ?? process.env['MLFLOW_TRACKING_TOKEN'];
        const v = await d.register(target, {
          dataset: o.dataset,
          ...(o.server ? { server: o.server } : {}),
          ...(o.remote ? { remote: o.remote } : {}),
          ...(o.description === undefined ? {} : { description: o.description }),
          ...(token ? { token } : {}),
        });
        if (o.json) return void out(JSON.stringify(v));
        const files = typeof v['file_count'] === 'number' ? `, ${v['file_count']} files` : '';
        const size = typeof v['size_bytes'] === 'number' ? `, ${formatBytes(v['size_bytes'])}` : '';
        out(`registered ${o.dataset} version ${v.version} (${v.digest}${files}${size})`);
      });
    });

  registerDataRemoteCommand(data);
}
