/**
 * The loaded versions one deployment serves, swapped atomically. A request takes a lease on the
 * snapshot current when it arrived; `swap` installs a new snapshot in one assignment, and a
 * version that left the snapshot is closed only after its last in-flight request finishes.
 * Canary and shadow routing (later) pick among `snapshot.versions`; `cairn serve` uses one.
 */
import { CairnError } from '../core/errors.js';
import type { LoadedModel } from './runtime.js';

/** Which versions are loaded, and which one answers by default. */
export interface ModelSnapshot {
  readonly versions: ReadonlyMap<string, LoadedModel>;
  readonly primary: string;
}

/** A lease on a snapshot: call `release` when the request is done. */
export interface ModelLease {
  readonly snapshot: ModelSnapshot;
  readonly model: LoadedModel;
  release(): void;
}

/** The models of one deployment, with atomic swap and deferred close. */
export class ModelSet {
  private current: ModelSnapshot | null = null;
  private readonly leases = new Map<LoadedModel, number>();
  private readonly retiring = new Set<LoadedModel>();

  /** The snapshot now serving, or null before the first swap. */
  get snapshot(): ModelSnapshot | null {
    return this.current;
  }

  /** Take a lease on the current snapshot's model `key` (default: the primary). */
  acquire(key?: string): ModelLease {
    const snapshot = this.current;
    if (!snapshot) throw new CairnError('TEMPORARILY_UNAVAILABLE', 'No model is loaded yet.');
    const model = snapshot.versions.get(key ?? snapshot.primary);
    if (!model) throw new CairnError('RESOURCE_DOES_NOT_EXIST', `This deployment does not serve '${key}'; it serves ${[...snapshot.versions.keys()].join(', ')}.`);
    this.leases.set(model, (this.leases.get(model) ?? 0) + 1);
    let released = false;
    return {
      snapshot,
      model,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.leases.get(model) ?? 1) - 1;
        if (left > 0) this.leases.set(model, left);
        else {
          this.leases.delete(model);
          if (this.retiring.delete(model)) void model.close();
        }
      },
    };
  }

  /** Install a new snapshot; models it no longer holds close once idle. Returns the old one. */
  swap(next: ModelSnapshot): ModelSnapshot | null {
    if (!next.versions.has(next.primary)) throw new CairnError('INVALID_PARAMETER_VALUE', `The primary version '${next.primary}' is not among the loaded versions.`);
    const previous = this.current;
    this.current = next;
    const kept = new Set(next.versions.values());
    for (const model of previous?.versions.values() ?? []) {
      if (kept.has(model)) continue;
      if (this.leases.has(model)) this.retiring.add(model);
      else void model.close();
    }
    return previous;
  }

  /** Close every model (on shutdown, after the server stopped taking requests). */
  async close(): Promise<void> {
    const all = new Set([...(this.current?.versions.values() ?? []), ...this.retiring]);
    this.current = null;
    this.retiring.clear();
    await Promise.all([...all].map((m) => m.close()));
  }
}
