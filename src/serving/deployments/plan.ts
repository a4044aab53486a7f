/**
 * A deployment's traffic plan: which versions answer, in what proportion, and which one (if any)
 * gets a shadow copy of each request. Targets name a version number or an alias; an alias is
 * resolved on every refresh, so moving it re-points the deployments that follow it.
 */
import { invalid } from '../../core/errors.js';
import type { Registry } from '../../registry/index.js';

/** A version by number, or whatever version an alias names now. */
export type Target = { readonly version: string } | { readonly alias: string };

/** One share of the traffic. Weights are relative (90 and 10 make a 90/10 canary). */
export type WeightedTarget = Target & { readonly weight: number };

/** What a deployment asks for. */
export interface TrafficPlan {
  readonly traffic: readonly WeightedTarget[];
  readonly shadow: Target | null;
}

/** A plan with every alias resolved: what a serving process actually loads. */
export interface ResolvedPlan {
  /** Distinct versions with their summed weights, highest weight first. */
  readonly routes: readonly { readonly version: string; readonly weight: number }[];
  /** The shadow version, or null; never one of the routed versions' copies counted twice. */
  readonly shadow: string | null;
}

/** Deployment names double as folder names in the artifact store and as Kubernetes names. */
const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Refuse a deployment name that cannot be a path segment and a Kubernetes object name. */
export function checkDeploymentName(name: string): void {
  if (!NAME.test(name)) {
    throw invalid(`Invalid deployment name '${name}': use 1 to 63 lower-case letters, digits and '-', starting and ending with a letter or digit (it names a folder of the inference log and the Kubernetes objects)`);
  }
}

/** Describe a target for messages: `version 3` or `@champion`. */
export function describeTarget(target: Target): string {
  return 'alias' in target ? `@${target.alias}` : `version ${target.version}`;
}

/** Check a plan's shape: at least one target, positive weights, each target a version or an alias. */
export function checkPlan(plan: TrafficPlan): void {
  if (plan.traffic.length === 0) throw invalid('traffic: a deployment needs at least one version or alias to send requests to');
  if (plan.traffic.length > 10) throw invalid(`traffic: at most 10 targets, got ${plan.traffic.length}`);
  for (const [i, t] of plan.traffic.entries()) {
    checkTarget(t, `traffic[${i}]`);
    if (!Number.isFinite(t.weight) || t.weight < 0) throw invalid(`traffic[${i}].weight must be a number >= 0, got ${t.weight}`);
  }
  if (plan.traffic.every((t) => t.weight === 0)) throw invalid('traffic: at least one weight must be above 0');
  if (plan.shadow) checkTarget(plan.shadow, 'shadow');
}

function checkTarget(target: Target, field: string): void {
  if ('alias' in target) {
    if (!target.alias || target.alias.length > 255) throw invalid(`${field}.alias must be 1 to 255 characters`);
  } else if (!/^[1-9][0-9]*$/.test(target.version)) {
    throw invalid(`${field}.version must be a version number like "3", got '${target.version}'`);
  }
}

/** Resolve each alias to its version now; an unknown model, version or alias is an error naming it. */
export async function resolvePlan(registry: Registry, model: string, plan: TrafficPlan): Promise<ResolvedPlan> {
  const versionOf = async (target: Target): Promise<string> => {
    if ('alias' in target) return String((await registry.aliases.resolve(model, target.alias)).version);
    return String((await registry.versions.get(model, target.version)).version);
  };
  const weights = new Map<string, number>();
  for (const t of plan.traffic) {
    const version = await versionOf(t);
    weights.set(version, (weights.get(version) ?? 0) + t.weight);
  }
  const routes = [...weights.entries()]
    .filter(([, weight]) => weight > 0)
    .map(([version, weight]) => ({ version, weight }))
    .sort((a, b) => b.weight - a.weight || Number(a.version) - Number(b.version));
  return { routes, shadow: plan.shadow ? await versionOf(plan.shadow) : null };
}

/** A stable text for comparing resolved plans. */
export function planKey(plan: ResolvedPlan): string {
  return JSON.stringify(plan);
}

/** Pick a version by weight; `draw` is uniform in [0, 1). */
export function pickRoute(routes: ResolvedPlan['routes'], draw: number): string {
  const total = routes.reduce((sum, r) => sum + r.weight, 0);
  let point = draw * total;
  for (const r of routes) {
    if (point < r.weight) return r.version;
    point -= r.weight;
  }
  return (routes[routes.length - 1] ?? { version: '' }).version;
}
