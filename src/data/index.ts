/**
 * cairn's data versioning: DVC 3-compatible pointer files, cache and remotes, usable in any git
 * repository without a server or a database. `openData` gives one object with every operation.
 */
import { availableParallelism } from 'node:os';
import type { DataContext } from './context.js';
import { HashPool } from './hashing/pool.js';
import { HashState } from './hashing/state.js';
import { addTargets } from './ops/add.js';
import { checkoutTargets } from './ops/checkout.js';
import { diffRevisions } from './ops/diff.js';
import { collectGarbage, type GcOptions } from './ops/gc.js';
import { listTracked } from './ops/ls.js';
import type { RegisterOptions } from './ops/register.js';
import { addRemote, listRemotes, modifyRemote, setDefaultRemote } from './ops/remotes.js';
import { statusOf } from './ops/status.js';
import { fetchTargets, pullTargets, pushTargets } from './ops/sync.js';
import { silentProgress, type Progress } from './progress.js';
import { openRepo, type DataRepo } from './repo.js';

export type { AddedOutput } from './ops/add.js';
export type { CheckoutResult } from './ops/checkout.js';
export type { DataDiff } from './ops/diff.js';
export type { GcOptions, GcResult } from './ops/gc.js';
export type { ListedEntry } from './ops/ls.js';
export type { RemoteInfo } from './ops/remotes.js';
export type { RegisteredVersion, RegisterOptions } from './ops/register.js';
export type { OutputState, OutputStatus } from './ops/status.js';
export type { TransferResult } from './ops/transfer.js';
export type { Progress, ProgressTask } from './progress.js';
export type { DataRepo } from './repo.js';
export { silentProgress } from './progress.js';

/** Options for opening a repository's data service. */
export interface DataOptions {
  readonly cwd: string;
  readonly progress?: Progress;
  /** Parallel transfers (default: 4 × CPUs, at least 8). */
  readonly jobs?: number;
  /** Create `.dvc/` in a git repository that has none (only `add` and `remote add` do). */
  readonly create?: boolean;
}

/** Open the data service for the repository around `options.cwd`. Call `close()` when done. */
export function openData(options: DataOptions) {
  const repo = openRepo(options.cwd, { create: options.create === true });
  const jobs = options.jobs ?? Math.max(8, 4 * availableParallelism());
  const ctx: DataContext = {
    repo,
    cwd: options.cwd,
    state: HashState.open(repo.tmpDir),
    pool: new HashPool(),
    copyPool: new HashPool(Math.min(jobs, 16)),
    progress: options.progress ?? silentProgress,
    jobs,
  };
  return {
    repo: repo as DataRepo,
    add: (targets: readonly string[]) => addTargets(ctx, targets),
    status: (targets: readonly string[], opts: { remote?: string } = {}) => statusOf(ctx, targets, opts),
    checkout: (targets: readonly string[], opts: { force?: boolean } = {}) => checkoutTargets(ctx, targets, opts),
    push: (targets: readonly string[], remote?: string) => pushTargets(ctx, targets, remote),
    fetch: (targets: readonly string[], remote?: string) => fetchTargets(ctx, targets, remote),
    pull: (targets: readonly string[], opts: { remote?: string; force?: boolean } = {}) => pullTargets(ctx, targets, opts),
    diff: (a: string, b?: string) => diffRevisions(ctx, a, b),
    gc: (opts: GcOptions) => collectGarbage(ctx, opts),
    ls: (targets: readonly string[], opts: { files?: boolean } = {}) => listTracked(ctx, targets, opts),
    // Loaded on use: only this command talks to a server's dataset registry.
    register: async (target: string, opts: RegisterOptions) => (await import('./ops/register.js')).registerOutput(ctx, target, opts),
    remotes: {
      add: (name: string, url: string, opts: { makeDefault?: boolean; local?: boolean; force?: boolean } = {}) => addRemote(repo, options.cwd, name, url, opts),
      modify: (name: string, option: string, value: string | undefined, local = false) => modifyRemote(repo, name, option, value, local),
      setDefault: (name: string, local = false) => setDefaultRemote(repo, name, local),
      list: () => listRemotes(repo),
    },
    async close(): Promise<void> {
      ctx.state.close();
      await Promise.all([ctx.pool.close(), ctx.copyPool.close()]);
    },
  };
}

/** The data service `openData` returns. */
export type DataService = ReturnType<typeof openData>;
