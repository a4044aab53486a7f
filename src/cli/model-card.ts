/** `cairn registry card <name>`: a model's card as Markdown, from a cairn server, to stdout or a file. */
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CairnError, invalid, type ErrorCode } from '../core/errors.js';
import { parseTrackingServer } from '../serving/config.js';
import { fail } from './output.js';

interface CardFlags {
  readonly trackingUri?: string;
  readonly version?: string;
  readonly revision?: string;
  readonly out?: string;
}

async function fetchCardMarkdown(name: string, flags: CardFlags): Promise<string> {
  const server = parseTrackingServer(flags.trackingUri ?? process.env['MLFLOW_TRACKING_URI'], process.env);
  if (!server) throw invalid('cairn registry card needs a cairn server: pass --tracking-uri http://host:port or set MLFLOW_TRACKING_URI');
  const query = new URLSearchParams();
  if (flags.version !== undefined) query.set('version', flags.version);
  if (flags.revision !== undefined) query.set('revision', flags.revision);
  const url = `${server.url}/api/v1/registry/models/${encodeURIComponent(name)}/card.md${query.size > 0 ? `?${query}` : ''}`;
  const response = await fetch(url, { headers: server.headers }).catch((error: unknown) => {
    throw new CairnError('TEMPORARILY_UNAVAILABLE', `cannot reach ${server.url}: ${(error as Error).message}`);
  });
  const text = await response.text();
  if (!response.ok) {
    let body: { error_code?: ErrorCode; message?: string } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // A proxy's HTML error page: report the status instead.
    }
    throw new CairnError(body.error_code ?? 'INTERNAL_ERROR', body.message ?? `HTTP ${response.status} from ${server.url}`);
  }
  return text;
}

/** Write through a temporary name and rename, so a reader never sees half a card. */
async function writeWhole(file: string, text: string): Promise<void> {
  const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

async function exportCard(name: string, flags: CardFlags): Promise<void> {
  const markdown = await fetchCardMarkdown(name, flags);
  if (flags.out) {
    await writeWhole(flags.out, markdown);
    process.stderr.write(`wrote the model card of ${name} to ${flags.out}\n`);
  } else {
    process.stdout.write(markdown);
  }
}

/** Add `card` to `cairn registry`. */
export function registerModelCardCommand(registry: Command): void {
  registry
    .command('card')
    .description("Export a model's card as Markdown: the text its authors saved and what cairn recorded (training data, metrics, owners, signature, deployments)")
    .argument('<name>', 'registered model name')
    .option('--version <n>', 'the card in effect for this model version (default: the newest revision)')
    .option('--revision <n>', 'one saved revision of the card')
    .option('--out <file>', 'write the Markdown to this file instead of stdout')
    .option('--tracking-uri <uri>', 'cairn server (default: $MLFLOW_TRACKING_URI; token from $MLFLOW_TRACKING_TOKEN)')
    .helpOption('--help', 'show this help')
    .action(async (name: string, flags: CardFlags) => {
      await exportCard(name, flags).catch(fail);
    });
}
