/** Managed deployments: traffic plans over registered versions, served inside `cairn server`. */
export { DeploymentServing, type DeploymentServingDeps, type Feedback } from './serving.js';
export { Deployments, DEFAULT_LOG_RETENTION_DAYS, type DeploymentChange, type NewDeployment } from './service.js';
export { LiveDeployments, LIVE_DEFAULTS, type LiveOptions } from './live.js';
export { decodeScoringBody, type ScoringAnswer, type ScoringRequest } from './invoke.js';
export { ServingMetrics } from './metrics.js';
export { checkDeploymentName, describeTarget, pickRoute, resolvePlan, type ResolvedPlan, type Target, type TrafficPlan, type WeightedTarget } from './plan.js';
export type { Deployment, DeploymentStatus } from './records.js';
export { deploymentManifests, podModelUri, type ManifestOptions, type Manifests } from './manifests.js';
