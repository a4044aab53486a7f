/**
 * `cairn permissions`: list, grant and revoke per-resource permissions straight in the database
 * (no running server needed), as `cairn users` manages accounts.
 */
import type { Command } from 'commander';
import { canonicalId, parseLevel, parseResourceKind, RESOURCE_KINDS } from '../auth/permissions.js';
import { Permissions, type GrantView } from '../auth/permissions-service.js';
import { DEFAULTS } from '../core/config.js';
import { openDatabase } from '../store/db.js';
import { fail } from './output.js';

const STORE_HELP = 'metadata store, as for `cairn server`';
const KIND_HELP = `resource type: ${RESOURCE_KINDS.join(', ')}`;

interface StoreOption {
  backendStoreUri: string;
}

/** Open the store, run the action on its grants, and close the store again. */
async function withPermissions<T>(backendStoreUri: string, action: (permissions: Permissions) => Promise<T>): Promise<T> {
  const db = await openDatabase(backendStoreUri);
  try {
    // The default level only matters for decisions, which the CLI does not make.
    return await action(new Permissions(db, 'READ'));
  } finally {
    await db.close();
  }
}

function grantLine(g: GrantView): string {
  return `${g.resourceType}\t${g.resourceId}\t${g.user}\t${g.permission}`;
}

/** Register `cairn permissions list|grant|revoke`. */
export function registerPermissionsCommand(program: Command): void {
  const permissions = program
    .command('permissions')
    .description('Manage per-resource permissions (NONE, READ, EDIT, MANAGE) on experiments, registered models, datasets, deployments and monitors');
  const store = (c: Command): Command => c.option('--backend-store-uri <uri>', STORE_HELP, DEFAULTS.backendStoreUri);

  store(permissions.command('list'))
    .description('List grants: on one resource, on one type of resource, or of one user')
    .option('--resource-type <type>', KIND_HELP)
    .option('--resource-id <id>', 'experiment id or the name of the model, dataset, deployment or monitor')
    .option('--user <name>', 'only the grants of this user')
    .option('--json', 'print JSON lines instead of a table')
    .action(async (options: StoreOption & { resourceType?: string; resourceId?: string; user?: string; json?: boolean }) => {
      try {
        const kind = options.resourceType === undefined ? undefined : parseResourceKind(options.resourceType, '--resource-type');
        const id = options.resourceId === undefined ? undefined : kind ? canonicalId(kind, options.resourceId) : options.resourceId;
        const grants = await withPermissions(options.backendStoreUri, (p) => p.list({ kind, id, user: options.user }));
        for (const g of grants) process.stdout.write(`${options.json ? JSON.stringify(g) : grantLine(g)}\n`);
      } catch (error) {
        fail(error);
      }
    });

  store(permissions.command('grant <resource-type> <resource-id> <user> <level>'))
    .description("Set a user's level on a resource (their role still caps it: viewers never pass READ)")
    .action(async (type: string, id: string, user: string, level: string, options: StoreOption) => {
      try {
        const kind = parseResourceKind(type, 'resource-type');
        const grant = await withPermissions(options.backendStoreUri, (p) => p.grant(kind, canonicalId(kind, id), user, parseLevel(level, 'level')));
        process.stdout.write(`${grantLine(grant)}\n`);
      } catch (error) {
        fail(error);
      }
    });

  store(permissions.command('revoke <resource-type> <resource-id> <user>'))
    .description("Remove a user's grant on a resource: they fall back to the server's --default-permission")
    .action(async (type: string, id: string, user: string, options: StoreOption) => {
      try {
        const kind = parseResourceKind(type, 'resource-type');
        await withPermissions(options.backendStoreUri, (p) => p.revoke(kind, canonicalId(kind, id), user));
        process.stdout.write(`revoked ${user}'s grant on ${kind} '${id}'\n`);
      } catch (error) {
        fail(error);
      }
    });
}
