/** What every data operation works with: the repository, the hash cache, the workers, progress. */
import type { HashPool } from './hashing/pool.js';
import type { HashState } from './hashing/state.js';
import type { Progress } from './progress.js';
import type { DataRepo } from './repo.js';

export interface DataContext {
  readonly repo: DataRepo;
  /** The folder command-line targets are relative to. */
  readonly cwd: string;
  readonly state: HashState;
  readonly pool: HashPool;
  /** Worker threads for copies to folder remotes: I/O-bound, so as many as `jobs`, not one per CPU. */
  readonly copyPool: HashPool;
  readonly progress: Progress;
  /** How many transfers run at once. */
  readonly jobs: number;
}

/** Run `fn` over items with at most `limit` in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T, i);
    }
  });
  await Promise.all(lanes);
  return results;
}
