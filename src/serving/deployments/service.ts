/**
 * Managed deployments: create, read, change, roll back and delete the rows every replica reads.
 * Each change is checked against the registry first (the model, versions and aliases must exist),
 * and written with an optimistic lock so two concurrent changes cannot lose one.
 */
import { lineageNode, NO_LINEAGE, type LineageRecorder } from '../../core/lineage.js';
import { alreadyExists, CairnError, invalid, notFound } from '../../core/errors.js';
import type { Registry } from '../../registry/index.js';
import type { Db } from '../../store/db.js';
import * as store from '../../store/deployments/deployments.js';
import { checkDeploymentName, checkPlan, resolvePlan, type ResolvedPlan, type Target, type WeightedTarget } from './plan.js';
import { encodeTarget, encodeTraffic, planOf, toDeployment, type Deployment, type DeploymentStatus } from './records.js';

/** What a create takes. */
export interface NewDeployment {
  readonly name: string;
  readonly model: string;
  readonly traffic: readonly WeightedTarget[];
  readonly shadow?: Target | null | undefined;
  readonly description?: string | null | undefined;
  readonly logRetentionDays?: number | undefined;
}

/** What an update may change; fields left out stay as they are, `shadow: null` removes the shadow. */
export interface DeploymentChange {
  readonly traffic?: readonly WeightedTarget[] | undefined;
  readonly shadow?: Target | null | undefined;
  readonly description?: string | null | undefined;
  readonly logRetentionDays?: number | undefined;
}

export const DEFAULT_LOG_RETENTION_DAYS = 30;

const notDeployed = (name: string): CairnError => notFound(`Deployment '${name}' does not exist`);

function checkRetention(days: number): void {
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw invalid(`log_retention_days must be a whole number of days from 1 to 3650, got ${days}`);
}

/** The deployment rows, and a hook that tells this process's serving side about each change. */
export class Deployments {
  private readonly listeners = new Set<(name: string) => void>();

  constructor(
    private readonly db: Db,
    private readonly registry: Registry,
    private readonly now: () => number = Date.now,
    private readonly lineage: LineageRecorder = NO_LINEAGE,
  ) {}

  /** Be told (in this process) right after a deployment changes. */
  onChange(listener: (name: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Create a deployment; its model, versions and aliases must exist. */
  async create(input: NewDeployment): Promise<Deployment> {
    checkDeploymentName(input.name);
    const plan = { traffic: input.traffic, shadow: input.shadow ?? null };
    checkPlan(plan);
    const retention = input.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
    checkRetention(retention);
    await resolvePlan(this.registry, input.model, plan);
    const now = this.now();
    const created = await store.insertDeployment(this.db.kysely, {
      name: input.name,
      model_name: input.model,
      traffic: encodeTraffic(plan.traffic),
      shadow: plan.shadow ? JSON.stringify(encodeTarget(plan.shadow)) : null,
      description: input.description ?? null,
      log_retention_days: retention,
      generation: 1,
      status: 'PENDING',
      status_time: now,
      creation_time: now,
      last_updated_time: now,
    });
    if (!created) throw alreadyExists(`Deployment '${input.name}' already exists`);
    this.changed(input.name);
    return this.get(input.name);
  }

  /** One deployment, or RESOURCE_DOES_NOT_EXIST naming it. */
  async get(name: string): Promise<Deployment> {
    const row = await store.selectDeployment(this.db.kysely, name);
    if (!row) throw notDeployed(name);
    return toDeployment(row);
  }

  /** One deployment, or undefined. */
  async find(name: string): Promise<Deployment | undefined> {
    const row = await store.selectDeployment(this.db.kysely, name);
    return row && toDeployment(row);
  }

  /** Every deployment (of one model, when given), by name. */
  async list(model?: string): Promise<Deployment[]> {
    return (await store.selectDeployments(this.db.kysely, model)).map(toDeployment);
  }

  /** Change the traffic, shadow, description or retention; the old plan is kept for rollback. */
  async update(name: string, change: DeploymentChange): Promise<Deployment> {
    if (change.logRetentionDays !== undefined) checkRetention(change.logRetentionDays);
    return this.rewrite(name, async (current) => {
      const plan = { traffic: change.traffic ?? current.traffic, shadow: change.shadow === undefined ? current.shadow : change.shadow };
      checkPlan(plan);
      await resolvePlan(this.registry, current.model, plan);
      const planChanged = encodeTraffic(plan.traffic) !== encodeTraffic(current.traffic) || JSON.stringify(plan.shadow && encodeTarget(plan.shadow)) !== JSON.stringify(current.shadow && encodeTarget(current.shadow));
      return {
        traffic: encodeTraffic(plan.traffic),
        shadow: plan.shadow ? JSON.stringify(encodeTarget(plan.shadow)) : null,
        previous: planChanged ? JSON.stringify(planOf(current)) : current.previous && JSON.stringify(current.previous),
        description: change.description === undefined ? current.description : change.description,
        log_retention_days: change.logRetentionDays ?? current.logRetentionDays,
      };
    });
  }

  /** Go back to the plan before the last change (and make the current one the way forward again). */
  async rollback(name: string): Promise<Deployment> {
    return this.rewrite(name, async (current) => {
      const previous = current.previous;
      if (!previous) throw new CairnError('INVALID_STATE', `Deployment '${name}' has no earlier traffic plan to roll back to`);
      await resolvePlan(this.registry, current.model, previous);
      return {
        traffic: encodeTraffic(previous.traffic),
        shadow: previous.shadow ? JSON.stringify(encodeTarget(previous.shadow)) : null,
        previous: JSON.stringify(planOf(current)),
        description: current.description,
        log_retention_days: current.logRetentionDays,
      };
    });
  }

  /** Delete a deployment; its serving processes stop answering for it within a refresh. */
  async delete(name: string): Promise<void> {
    const current = await this.get(name);
    if (!(await store.deleteDeployment(this.db.kysely, name))) throw notDeployed(name);
    await this.recordServed(current.model, name, current.serving, null);
    this.changed(name);
  }

  /** Record what this process loaded for a deployment, or why it could not. */
  async reportStatus(name: string, status: DeploymentStatus, message: string | null, serving: ResolvedPlan | null): Promise<void> {
    const before = status === 'READY' ? await this.get(name).catch(() => undefined) : undefined;
    await store.updateDeploymentStatus(this.db.kysely, name, { status, message, serving: serving && JSON.stringify(serving), now: this.now() });
    if (before) await this.recordServed(before.model, name, before.serving, serving);
  }

  /** Lineage: "version V is served by deployment D" holds for exactly the versions now serving. */
  private async recordServed(model: string, name: string, was: ResolvedPlan | null, now: ResolvedPlan | null): Promise<void> {
    const versions = (plan: ResolvedPlan | null): Set<string> =>
      new Set(plan ? [...plan.routes.map((r) => r.version), ...(plan.shadow ? [plan.shadow] : [])] : []);
    const [before, after] = [versions(was), versions(now)];
    const to = lineageNode.deployment(name);
    for (const v of after) await this.lineage.record({ from: lineageNode.modelVersion(model, v), to, kind: 'served' });
    for (const v of before) if (!after.has(v)) await this.lineage.end({ from: lineageNode.modelVersion(model, v), to, kind: 'served' });
  }

  private async rewrite(name: string, next: (current: Deployment) => Promise<Omit<Parameters<typeof store.updateDeploymentPlan>[3], 'now'>>): Promise<Deployment> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const current = await this.get(name);
      const values = await next(current);
      if (await store.updateDeploymentPlan(this.db.kysely, name, current.generation, { ...values, now: this.now() })) {
        this.changed(name);
        return this.get(name);
      }
    }
    throw new CairnError('INVALID_STATE', `Deployment '${name}' kept changing under this update; try again`);
  }

  private changed(name: string): void {
    for (const listener of this.listeners) listener(name);
  }
}
