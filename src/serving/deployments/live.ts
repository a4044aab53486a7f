/**
 * The deployments this process serves, in memory: one ModelSet per deployment and the resolved
 * plan it serves. Before a request is routed, the deployment row and its aliases are re-read if
 * the last look is older than `refreshMs` (500 ms by default), so a moved alias, new weights or a
 * rollback made on any replica take effect here within a second; changes made in this process
 * are picked up at once. New versions load in the background while the old ones keep answering;
 * a version that fails to load leaves the previous plan serving and marks the deployment FAILED.
 */
import { CairnError, notFound } from '../../core/errors.js';
import { ModelSet, type ModelLease } from '../model-set.js';
import type { LoadedModel } from '../runtime.js';
import type { VersionLoader } from './loader.js';
import { pickRoute, planKey, resolvePlan, type ResolvedPlan } from './plan.js';
import { planOf, type Deployment } from './records.js';
import type { Deployments } from './service.js';
import type { Registry } from '../../registry/index.js';

/** Timing of refreshes and retries. */
export interface LiveOptions {
  readonly refreshMs: number;
  /** After a failed load, the same plan is tried again only after this long. */
  readonly retryFailedMs: number;
}

export const LIVE_DEFAULTS: LiveOptions = Object.freeze({ refreshMs: 500, retryFailedMs: 30_000 });

/** The leases one request holds: the version that answers, and the shadow (if any). */
export interface RoutedRequest {
  readonly deployment: Deployment;
  readonly version: string;
  readonly lease: ModelLease;
  readonly shadow: { readonly version: string; readonly lease: ModelLease } | null;
}

interface LiveDeployment {
  readonly models: ModelSet;
  deployment: Deployment | null;
  serving: ResolvedPlan | null;
  servingKey: string | null;
  /** The plan being loaded now, if any. */
  loadingKey: string | null;
  loading: Promise<void> | null;
  failedKey: string | null;
  failedAt: number;
  failure: string | null;
  checkedAt: number;
  checking: Promise<void> | null;
}

/** Routes requests to the loaded versions of each deployment. */
export class LiveDeployments {
  private readonly live = new Map<string, LiveDeployment>();
  private closed = false;

  constructor(
    private readonly deployments: Deployments,
    private readonly registry: Registry,
    private readonly load: VersionLoader,
    private readonly options: LiveOptions = LIVE_DEFAULTS,
    private readonly now: () => number = Date.now,
  ) {
    deployments.onChange((name) => {
      const entry = this.live.get(name);
      if (!entry) return;
      entry.checkedAt = 0;
      void this.check(name, entry).catch(() => undefined);
    });
  }

  /** Pick a version for one request and lease it (and the shadow); release both when done. */
  async route(name: string, draw: number = Math.random()): Promise<RoutedRequest> {
    const entry = await this.ready(name);
    // Everything below runs without an await, so the plan and the snapshot belong together.
    const serving = entry.serving;
    if (!serving || !entry.deployment) throw new CairnError('TEMPORARILY_UNAVAILABLE', `Deployment '${name}' has no version loaded${entry.failure ? `: ${entry.failure}` : ' yet'}`);
    const version = pickRoute(serving.routes, draw);
    const lease = entry.models.acquire(version);
    let shadow: RoutedRequest['shadow'] = null;
    if (serving.shadow !== null) shadow = { version: serving.shadow, lease: entry.models.acquire(serving.shadow) };
    return { deployment: entry.deployment, version, lease, shadow };
  }

  /** What this process serves for a deployment now (null when it has not loaded it). */
  servingNow(name: string): ResolvedPlan | null {
    return this.live.get(name)?.serving ?? null;
  }

  /** Load a deployment now (after a create or update), without waiting for a request. */
  async warm(name: string): Promise<void> {
    await this.ready(name);
  }

  /** Close every loaded model (after the server stopped taking requests). */
  async close(): Promise<void> {
    this.closed = true;
    const entries = [...this.live.values()];
    this.live.clear();
    await Promise.all(entries.map(async (e) => {
      await e.loading?.catch(() => undefined);
      await e.models.close();
    }));
  }

  private async ready(name: string): Promise<LiveDeployment> {
    if (this.closed) throw new CairnError('TEMPORARILY_UNAVAILABLE', 'The server is shutting down');
    let entry = this.live.get(name);
    if (!entry) {
      entry = { models: new ModelSet(), deployment: null, serving: null, servingKey: null, loadingKey: null, loading: null, failedKey: null, failedAt: 0, failure: null, checkedAt: 0, checking: null };
      this.live.set(name, entry);
    }
    if (this.now() - entry.checkedAt >= this.options.refreshMs) await this.check(name, entry);
    // The first load is waited for; later ones happen behind the versions already serving.
    if (!entry.serving && entry.loading) await entry.loading;
    return entry;
  }

  /** Re-read the row and aliases (one check at a time per deployment) and start a load if the plan moved. */
  private check(name: string, entry: LiveDeployment): Promise<void> {
    entry.checking ??= (async () => {
      try {
        const deployment = await this.deployments.find(name);
        if (!deployment) {
          this.live.delete(name);
          await entry.models.close();
          throw notFound(`Deployment '${name}' does not exist`);
        }
        entry.deployment = deployment;
        let plan: ResolvedPlan;
        try {
          plan = await resolvePlan(this.registry, deployment.model, planOf(deployment));
        } catch (error) {
          // An alias deleted under a running deployment: keep serving what is loaded, and say why.
          await this.fail(name, entry, `cannot resolve the traffic plan: ${(error as Error).message}`, null);
          if (!entry.serving) throw error;
          return;
        }
        const key = planKey(plan);
        if (key === entry.servingKey) {
          // Back to what is loaded (a rollback after a failed load): the failure no longer applies.
          if (entry.failure !== null) await this.recovered(name, entry, plan);
          return;
        }
        if (key === entry.loadingKey) return;
        if (key === entry.failedKey && this.now() - entry.failedAt < this.options.retryFailedMs) return;
        entry.loadingKey = key;
        entry.loading = this.install(name, entry, plan, key).finally(() => {
          if (entry.loadingKey === key) {
            entry.loadingKey = null;
            entry.loading = null;
          }
        });
      } finally {
        entry.checkedAt = this.now();
        entry.checking = null;
      }
    })();
    return entry.checking;
  }

  /** Load what the plan needs (reusing loaded versions), then swap it in at once. */
  private async install(name: string, entry: LiveDeployment, plan: ResolvedPlan, key: string): Promise<void> {
    const needed = [...new Set([...plan.routes.map((r) => r.version), ...(plan.shadow === null ? [] : [plan.shadow])])];
    const current = entry.models.snapshot?.versions ?? new Map<string, LoadedModel>();
    const loaded = new Map<string, LoadedModel>();
    const fresh: LoadedModel[] = [];
    try {
      for (const version of needed) {
        const have = current.get(version);
        if (have) {
          loaded.set(version, have);
          continue;
        }
        try {
          const model = await this.load(entry.deployment?.model ?? '', version);
          fresh.push(model);
          loaded.set(version, model);
        } catch (error) {
          throw new CairnError('INVALID_STATE', `version ${version} failed to load: ${(error as Error).message}`);
        }
      }
    } catch (error) {
      await Promise.all(fresh.map((m) => m.close()));
      await this.fail(name, entry, (error as Error).message, key);
      return;
    }
    if (this.closed || this.live.get(name) !== entry || entry.loadingKey !== key) {
      await Promise.all(fresh.map((m) => m.close()));
      return;
    }
    const primary = plan.routes[0]?.version ?? '';
    entry.models.swap({ versions: loaded, primary });
    entry.serving = plan;
    entry.servingKey = key;
    await this.recovered(name, entry, plan);
  }

  private async recovered(name: string, entry: LiveDeployment, plan: ResolvedPlan): Promise<void> {
    entry.failure = null;
    entry.failedKey = null;
    await this.deployments.reportStatus(name, 'READY', null, plan).catch(() => undefined);
  }

  private async fail(name: string, entry: LiveDeployment, reason: string, key: string | null): Promise<void> {
    const still = entry.serving ? `; still serving ${entry.serving.routes.map((r) => `version ${r.version}`).join(', ')}` : '';
    const failure = `${reason}${still}`;
    const repeated = entry.failure === failure;
    entry.failure = failure;
    entry.failedKey = key;
    entry.failedAt = this.now();
    // A failure that persists is reported once, not on every refresh.
    if (repeated) return;
    await this.deployments.reportStatus(name, 'FAILED', entry.failure, entry.serving).catch(() => undefined);
  }
}
