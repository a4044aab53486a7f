/**
 * Every HTTP route cairn serves, in one list. Each declares its schemas and who may call it;
 * the server refuses to start if one does not.
 */
import { artifactRoutes } from './mlflow/artifacts.js';
import { experimentRoutes } from './mlflow/experiments.js';
import { loggedModelRoutes } from './mlflow/logged-models.js';
import { loggingRoutes } from './mlflow/logging.js';
import { metricRoutes } from './mlflow/metrics.js';
import { registryRoutes } from './mlflow/registry.js';
import { runRoutes } from './mlflow/runs.js';
import { searchRoutes } from './mlflow/search.js';
import { traceRoutes } from './mlflow/traces.js';
import { miscRoutes } from './misc.js';
import type { Route } from './route.js';
import { withGrantChanges } from './auth/permission-check.js';
import { isRoutePermission } from './auth/permission-types.js';
import { authRoutes } from './auth/index.js';
import { compatibilityRoutes } from './v1/compatibility.js';
import { deploymentRoutes } from './v1/deployments.js';
import { metricsRoutes } from './v1/metrics.js';
import { dataObjectRoutes } from './v1/data-objects.js';
import { datasetRoutes } from './v1/datasets.js';
import { lineageRoutes } from './v1/lineage.js';
import { monitorRoutes } from './v1/monitors.js';
import { alertRoutes } from './v1/alerts.js';
import { permissionRoutes } from './v1/permissions.js';
import { mlflowPermissionRoutes } from './auth/permission-mlflow.js';
import { auditRoutes } from './v1/audit.js';
import { modelCardRoutes } from './v1/model-cards.js';

const ACCESS = new Set(['public', 'read', 'write', 'admin']);

/** Refuse a route list with a route that declares no access rule or no resource permission. */
export function checked(routes: Route[]): Route[] {
  for (const r of routes) {
    if (!ACCESS.has(r.access)) throw new Error(`route ${r.method} ${r.paths[0]} declares no access rule`);
    if (!isRoutePermission(r.permission)) throw new Error(`route ${r.method} ${r.paths[0]} declares no resource permission (see http/auth/permission-types.ts)`);
  }
  return routes.map(withGrantChanges);
}

export const allRoutes: readonly Route[] = checked([
  ...miscRoutes,
  ...experimentRoutes,
  ...runRoutes,
  ...loggingRoutes,
  ...metricRoutes,
  ...artifactRoutes,
  ...loggedModelRoutes,
  ...searchRoutes,
  ...registryRoutes,
  ...traceRoutes,
  ...authRoutes,
  ...deploymentRoutes,
  ...compatibilityRoutes,
  ...metricsRoutes,
  ...datasetRoutes,
  ...lineageRoutes,
  ...dataObjectRoutes,
  ...monitorRoutes,
  ...alertRoutes,
  ...permissionRoutes,
  ...mlflowPermissionRoutes,
  ...auditRoutes,
  ...modelCardRoutes,
]);
