import type { Command } from 'commander';
import { invalid } from '../core/errors.js';
import { parseTrackingServer } from '../serving/config.js';
import { diffSignatures, TrackingClient, type SignatureDiff } from '../serving/index.js';
import { signatureOfVersion } from '../serving/version-signature.js';
import { registerModelCardCommand } from './model-card.js';
import { fail } from './output.js';

interface DiffFlags {
  readonly trackingUri?: string;
  readonly json?: boolean;
  readonly check?: boolean;
}

async function diffVersions(name: string, from: string, to: string, flags: DiffFlags): Promise<void> {
  const server = parseTrackingServer(flags.trackingUri ?? process.env['MLFLOW_TRACKING_URI'], process.env);
  if (!server) throw invalid('cairn registry diff needs a tracking server: pass --tracking-uri http://host:port or set MLFLOW_TRACKING_URI');
  const client = new TrackingClient(server);
  const [before, after] = await Promise.all([signatureOfVersion(client, name, from), signatureOfVersion(client, name, to)]);
  const diff = diffSignatures(before.signature, after.signature);
  if (flags.json) process.stdout.write(`${JSON.stringify({ name, from: before.version, to: after.version, ...diff }, null, 2)}\n`);
  else process.stdout.write(formatDiff(name, before.version, after.version, diff));
  if (flags.check && diff.compatible !== true) process.exit(1);
}

/** The human-readable report: one line per change, then the verdict. */
function formatDiff(name: string, from: string, to: string, diff: SignatureDiff): string {
  const lines = [`Signature of ${name}: version ${from} -> version ${to}`];
  for (const side of ['input', 'output'] as const) {
    const changes = diff.changes.filter((c) => c.side === side);
    lines.push(`${side}s:${changes.length === 0 ? ' unchanged' : ''}`);
    for (const c of changes) {
      const mark = c.change === 'added' ? '+' : c.change === 'removed' ? '-' : '~';
      const types = c.from && c.to ? `${c.from} -> ${c.to}` : (c.to ?? c.from ?? '');
      lines.push(`  ${mark} ${c.name}  ${c.change}${types ? `  ${types}` : ''}${c.breaks ? `  BREAKS: ${c.breaks}` : ''}`);
    }
  }
  for (const note of diff.notes) lines.push(`note: ${note.text}`);
  const verdict = diff.compatible === true ? 'yes' : diff.compatible === false ? 'no' : 'unknown';
  lines.push(`Callers of version ${from} can call version ${to} unchanged: ${verdict}`);
  return `${lines.join('\n')}\n`;
}

/** `cairn registry ...`: registry commands that go beyond the MLflow client. */
export function registerRegistryCommand(program: Command): void {
  const registry = program.command('registry').description('Model registry tools').helpOption('--help', 'show this help');
  registry
    .command('diff')
    .description('Compare the signatures of two versions: added, removed and retyped inputs and outputs, and whether old callers still work')
    .argument('<name>', 'registered model name')
    .argument('<from>', 'the version callers use now (a number, or @alias)')
    .argument('<to>', 'the version to compare it with (a number, or @alias)')
    .option('--tracking-uri <uri>', 'tracking server (default: $MLFLOW_TRACKING_URI)')
    .option('--json', 'print the comparison as JSON')
    .option('--check', 'exit with status 1 unless old callers can call the new version unchanged')
    .helpOption('--help', 'show this help')
    .action(async (name: string, from: string, to: string, flags: DiffFlags) => {
      await diffVersions(name, from, to, flags).catch(fail);
    });
  registerModelCardCommand(registry);
}
