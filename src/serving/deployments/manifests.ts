/**
 * Container and Kubernetes manifests for running a deployment as its own `cairn serve` pods:
 * a Dockerfile, and a Deployment (with startup, readiness and liveness probes on the scoring
 * server's /ping and /health), a Service and a HorizontalPodAutoscaler.
 */
import { stringify } from 'yaml';
import { CAIRN_VERSION } from '../../core/version.js';
import type { Deployment } from './records.js';

/** Knobs of the generated manifests. */
export interface ManifestOptions {
  readonly image: string;
  /** The tracking server the pods fetch the model from. */
  readonly trackingUri: string;
  /** Kubernetes Secret holding MLFLOW_TRACKING_TOKEN, or null for none. */
  readonly tokenSecret: string | null;
  readonly namespace: string | null;
  readonly port: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly cpuTargetPercent: number;
}

/** The generated files, by name. */
export interface Manifests {
  readonly modelUri: string;
  readonly notes: readonly string[];
  readonly files: Readonly<Record<string, string>>;
}

/** The model URI a `cairn serve` pod runs: the deployment's heaviest target (an alias stays an alias, so the pod follows it on restart). */
export function podModelUri(d: Pick<Deployment, 'model' | 'traffic'>): string {
  const top = [...d.traffic].sort((a, b) => b.weight - a.weight)[0];
  if (!top) return `models:/${d.model}@champion`;
  return 'alias' in top ? `models:/${d.model}@${top.alias}` : `models:/${d.model}/${top.version}`;
}

/** Build the Dockerfile and Kubernetes manifests for one deployment. */
export function deploymentManifests(d: Pick<Deployment, 'name' | 'model' | 'traffic' | 'shadow'>, options: ManifestOptions): Manifests {
  const modelUri = podModelUri(d);
  const notes: string[] = [];
  if (d.traffic.length > 1) notes.push(`this deployment splits traffic over ${d.traffic.length} targets; the pods serve the heaviest one (${modelUri}). Keep canaries on cairn server, or generate one set of manifests per version.`);
  if (d.shadow) notes.push('the shadow version is not part of the pods; shadow traffic stays on cairn server.');
  const labels = { 'app.kubernetes.io/name': 'cairn-serve', 'app.kubernetes.io/instance': d.name, 'cairn.dev/model': d.model };
  const metadata = { name: d.name, ...(options.namespace ? { namespace: options.namespace } : {}), labels };
  const probe = (path: string, extra: Record<string, number>) => ({ httpGet: { path, port: 'http' }, ...extra });
  const env: Record<string, unknown>[] = [
    { name: 'MLFLOW_TRACKING_URI', value: options.trackingUri },
    { name: 'CAIRN_MODEL_CACHE', value: '/var/cache/cairn/models' },
  ];
  if (options.tokenSecret) env.push({ name: 'MLFLOW_TRACKING_TOKEN', valueFrom: { secretKeyRef: { name: options.tokenSecret, key: 'MLFLOW_TRACKING_TOKEN' } } });
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: {
      replicas: options.minReplicas,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'cairn-serve', 'app.kubernetes.io/instance': d.name } },
      // Never drop below the serving replicas during a rollout: new pods must pass readiness first.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels },
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 10001 },
          containers: [
            {
              name: 'cairn-serve',
              image: options.image,
              args: [modelUri, '--host', '0.0.0.0', '--port', String(options.port)],
              ports: [{ name: 'http', containerPort: options.port }],
              env,
              // The model downloads before /ping answers 200: allow up to 5 minutes for that.
              startupProbe: probe('/ping', { periodSeconds: 5, failureThreshold: 60 }),
              readinessProbe: probe('/ping', { periodSeconds: 5, failureThreshold: 2 }),
              livenessProbe: probe('/health', { periodSeconds: 10, failureThreshold: 3 }),
              resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '2Gi' } },
              volumeMounts: [{ name: 'model-cache', mountPath: '/var/cache/cairn/models' }],
            },
          ],
          volumes: [{ name: 'model-cache', emptyDir: {} }],
        },
      },
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata,
    spec: { type: 'ClusterIP', selector: deployment.spec.selector.matchLabels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };
  const hpa = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata,
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: d.name },
      minReplicas: options.minReplicas,
      maxReplicas: options.maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: options.cpuTargetPercent } } }],
    },
  };
  const header = `# Generated by \`cairn deploy manifests ${d.name}\` for ${modelUri}.\n${notes.map((n) => `# Note: ${n}\n`).join('')}`;
  const kubernetes = header + [deployment, service, hpa].map((doc) => stringify(doc, { lineWidth: 0 })).join('---\n');
  return { modelUri, notes, files: { Dockerfile: dockerfile(modelUri, options.port), 'kubernetes.yaml': kubernetes } };
}

function dockerfile(modelUri: string, port: number): string {
  return [
    `# Generated by cairn ${CAIRN_VERSION}: a scoring image for ${modelUri}.`,
    '# Build: docker build -t <registry>/<name>:<tag> .   Run: docker run -e MLFLOW_TRACKING_URI=... -p 5001:5001 <image>',
    'FROM node:20-slim',
    `RUN npm install --global cairn@${CAIRN_VERSION} && npm cache clean --force`,
    'RUN useradd --system --uid 10001 cairn && mkdir -p /var/cache/cairn/models && chown -R 10001 /var/cache/cairn',
    'ENV CAIRN_MODEL_CACHE=/var/cache/cairn/models NODE_ENV=production',
    'USER 10001',
    `EXPOSE ${port}`,
    `HEALTHCHECK --interval=10s --start-period=120s CMD node -e "fetch('http://127.0.0.1:${port}/ping').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"`,
    'ENTRYPOINT ["cairn", "serve"]',
    `CMD ${JSON.stringify([modelUri, '--host', '0.0.0.0', '--port', String(port)])}`,
    '',
  ].join('\n');
}
