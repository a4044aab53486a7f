import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { CairnError, invalid } from '../core/errors.js';
import { parseTrackingServer } from '../serving/config.js';
import { deploymentManifests, type Deployment } from '../serving/deployments/index.js';
import { fail } from './output.js';

interface ManifestFlags {
  readonly trackingUri?: string;
  readonly podTrackingUri?: string;
  readonly image: string;
  readonly tokenSecret?: string;
  readonly namespace?: string;
  readonly port: string;
  readonly minReplicas: string;
  readonly maxReplicas: string;
  readonly cpuTarget: string;
  readonly output?: string;
}

function whole(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw invalid(`${flag} ${value}: must be a whole number from ${min} to ${max}`);
  return n;
}

async function writeManifests(name: string, flags: ManifestFlags): Promise<void> {
  const server = parseTrackingServer(flags.trackingUri ?? process.env['MLFLOW_TRACKING_URI'], process.env);
  if (!server) throw invalid('cairn deploy manifests reads the deployment from cairn server: pass --tracking-uri http://host:port or set MLFLOW_TRACKING_URI');
  const response = await fetch(`${server.url}/api/v1/deployments/${encodeURIComponent(name)}`, { headers: { ...server.headers } }).catch((error: Error) => {
    throw new CairnError('TEMPORARILY_UNAVAILABLE', `cannot reach ${server.url}: ${error.message}`);
  });
  const body = (await response.json().catch(() => ({}))) as { deployment?: Deployment; message?: string };
  if (!response.ok || !body.deployment) throw new CairnError(response.status === 404 ? 'RESOURCE_DOES_NOT_EXIST' : 'INVALID_STATE', body.message ?? `the server answered ${response.status}`);
  const minReplicas = whole(flags.minReplicas, '--min-replicas', 1, 1000);
  const manifests = deploymentManifests(body.deployment, {
    image: flags.image,
    trackingUri: flags.podTrackingUri ?? server.url,
    tokenSecret: flags.tokenSecret ?? null,
    namespace: flags.namespace ?? null,
    port: whole(flags.port, '--port', 1, 65535),
    minReplicas,
    maxReplicas: whole(flags.maxReplicas, '--max-replicas', minReplicas, 1000),
    cpuTargetPercent: whole(flags.cpuTarget, '--cpu-target', 1, 100),
  });
  const folder = resolve(flags.output ?? join('deploy', name));
  await mkdir(folder, { recursive: true });
  for (const [file, text] of Object.entries(manifests.files)) await writeFile(join(folder, file), text);
  for (const note of manifests.notes) process.stderr.write(`cairn deploy manifests: note: ${note}\n`);
  process.stdout.write(`cairn deploy manifests: wrote ${Object.keys(manifests.files).join(', ')} for ${manifests.modelUri} to ${folder}\n`);
}

/** `cairn deploy manifests <deployment>`: a Dockerfile and Kubernetes manifests for `cairn serve` pods. */
export function registerDeployCommand(program: Command): void {
  const deploy = program.command('deploy').description('Deployment tooling').helpOption('--help', 'show this help');
  deploy
    .command('manifests')
    .description('Write a Dockerfile for cairn serve and Kubernetes Deployment/Service/HPA manifests with health probes for a deployment')
    .argument('<deployment>', 'deployment name on cairn server')
    .option('--tracking-uri <uri>', 'cairn server to read the deployment from (default: $MLFLOW_TRACKING_URI)')
    .option('--pod-tracking-uri <uri>', 'tracking server address as the pods see it (default: --tracking-uri)')
    .option('--image <image>', 'container image the pods run', 'cairn-serve:latest')
    .option('--token-secret <name>', 'Kubernetes Secret with key MLFLOW_TRACKING_TOKEN')
    .option('--namespace <ns>', 'Kubernetes namespace')
    .option('--port <port>', 'port cairn serve listens on', '5001')
    .option('--min-replicas <n>', 'fewest pods', '2')
    .option('--max-replicas <n>', 'most pods', '10')
    .option('--cpu-target <percent>', 'CPU utilisation the autoscaler aims for', '70')
    .option('-o, --output <dir>', 'folder to write into (default: deploy/<deployment>)')
    .helpOption('--help', 'show this help')
    .action(async (name: string, flags: ManifestFlags) => {
      await writeManifests(name, flags).catch(fail);
    });
}
