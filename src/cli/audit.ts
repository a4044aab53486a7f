/**
 * `cairn audit list|export|verify`, on the database directly (like `cairn users`), and the helper
 * that makes the CLI's own changes (`cairn users ...`, `cairn tokens ...`) leave audit entries.
 */
import type { Command } from 'commander';
import { AuditLog, cliRecord, type AuditEntry, type AuditFilter } from '../audit/index.js';
import { createAuth, type Auth } from '../auth/index.js';
import { DEFAULTS } from '../core/config.js';
import { invalid } from '../core/errors.js';
import { openDatabase, type Db } from '../store/db.js';
import { fail } from './output.js';
import { formatTime, printTable } from './users.js';

const STORE_HELP = 'metadata store, as for `cairn server`';

/** What a CLI change touched, for its audit entry. */
export interface CliChange {
  readonly kind: string;
  readonly id: string;
  /** Non-secret details of the change (secrets are redacted anyway). */
  readonly summary?: Readonly<Record<string, unknown>>;
}

async function withDatabase<T>(backendStoreUri: string, action: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDatabase(backendStoreUri);
  try {
    return await action(db);
  } finally {
    await db.close();
  }
}

/**
 * Run a change with the auth capability and append its audit entry (actor `cli:<os user>`) in
 * the same transaction: both land, or neither.
 */
export function withAuditedAuth<T>(backendStoreUri: string, command: string, action: (auth: Auth) => Promise<T>, change: (result: T) => CliChange): Promise<T> {
  return withDatabase(backendStoreUri, (db) =>
    new AuditLog(db).changeWithEntry(
      () => action(createAuth(db)),
      (result) => {
        const { kind, id, summary } = change(result);
        return cliRecord(command, kind, id, summary);
      },
    ),
  );
}

interface FilterOptions {
  backendStoreUri: string;
  actor?: string;
  action?: string;
  resourceKind?: string;
  resourceId?: string;
  since?: string;
  until?: string;
}

function timeOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw invalid(`--${name} must be epoch milliseconds or an ISO 8601 time, got '${value}'`);
  return ms;
}

function filterFrom(options: FilterOptions): AuditFilter {
  return {
    actor: options.actor,
    action: options.action,
    resourceKind: options.resourceKind,
    resourceId: options.resourceId,
    since: timeOption('since', options.since),
    until: timeOption('until', options.until),
  };
}

function withFilters(command: Command): Command {
  return command
    .option('--backend-store-uri <uri>', STORE_HELP, DEFAULTS.backendStoreUri)
    .option('--actor <name>', 'only entries by this actor (a user name, anonymous, bootstrap, cli:<os user>)')
    .option('--action <text>', 'only entries whose operation or verb contains this text')
    .option('--resource-kind <kind>', 'only entries about this kind of resource (run, experiment, registered_model, user, ...)')
    .option('--resource-id <id>', 'only entries about this resource id')
    .option('--since <time>', 'from this time on (ISO 8601 or epoch milliseconds)')
    .option('--until <time>', 'before this time (ISO 8601 or epoch milliseconds)');
}

function resourceText(entry: AuditEntry): string {
  return entry.resourceId ? `${entry.resourceKind} ${entry.resourceId}` : entry.resourceKind;
}

/** `cairn audit list|export|verify`. */
export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('Read and verify the audit log (works on the database directly; no server needed)');

  withFilters(audit.command('list'))
    .description('List audit entries, newest first')
    .option('--max-results <n>', 'how many entries', '50')
    .action(async (options: FilterOptions & { maxResults: string }) => {
      try {
        const page = await withDatabase(options.backendStoreUri, (db) => new AuditLog(db).list(filterFrom(options), Number(options.maxResults)));
        printTable(
          ['SEQ', 'TIME', 'ACTOR', 'VERB', 'RESOURCE', 'FROM'],
          page.entries.map((e) => [String(e.seq), formatTime(e.time), e.actor, e.verb, resourceText(e), e.clientAddress]),
        );
      } catch (error) {
        fail(error);
      }
    });

  withFilters(audit.command('export'))
    .description('Write every matching entry as JSON lines, oldest first, to standard output')
    .action(async (options: FilterOptions) => {
      try {
        await withDatabase(options.backendStoreUri, async (db) => {
          for await (const entry of new AuditLog(db).entries(filterFrom(options))) {
            if (!process.stdout.write(`${JSON.stringify(entry)}\n`)) await new Promise((resolve) => process.stdout.once('drain', resolve));
          }
        });
      } catch (error) {
        fail(error);
      }
    });

  audit
    .command('verify')
    .description('Walk the hash chain; name the first entry that was edited, deleted or reordered (exit 1)')
    .option('--backend-store-uri <uri>', STORE_HELP, DEFAULTS.backendStoreUri)
    .action(async (options: { backendStoreUri: string }) => {
      try {
        const outcome = await withDatabase(options.backendStoreUri, (db) => new AuditLog(db).verify());
        if (outcome.problem) {
          process.stderr.write(`cairn: audit log tampered with: ${outcome.problem.message} (${outcome.verified} entries before it verified)\n`);
          process.exit(1);
        }
        process.stdout.write(`${outcome.verified} entries verified\n`);
      } catch (error) {
        fail(error);
      }
    });
}
