/** `cairn tokens`: create (shown once), list and revoke API tokens, straight in the database. */
import type { Command } from 'commander';
import { DEFAULT_TOKEN_LIFETIME_MS, parseLifetime } from '../auth/index.js';
import { DEFAULTS } from '../core/config.js';
import { withAuditedAuth } from './audit.js';
import { fail } from './output.js';
import { formatTime, printTable, withAuth } from './users.js';

interface StoreOption {
  backendStoreUri: string;
}

/** `cairn tokens create|list|revoke`. */
export function registerTokensCommand(program: Command): void {
  const tokens = program.command('tokens').description('Manage API tokens (works on the database directly; no server needed)');
  const store = (c: Command): Command => c.option('--backend-store-uri <uri>', 'metadata store, as for `cairn server`', DEFAULTS.backendStoreUri);

  store(tokens.command('create'))
    .description('Create an API token and print it once (use it as MLFLOW_TRACKING_TOKEN or a Bearer token)')
    .requiredOption('--user <name>', 'the user the token acts as')
    .requiredOption('--name <name>', 'what the token is for, e.g. ci or laptop')
    .option('--expires-in <lifetime>', `lifetime: e.g. 30d, 12h, 2w, or never (default ${DEFAULT_TOKEN_LIFETIME_MS / 86_400_000}d)`)
    .action(async (options: StoreOption & { user: string; name: string; expiresIn?: string }) => {
      try {
        const lifetimeMs = options.expiresIn === undefined ? DEFAULT_TOKEN_LIFETIME_MS : parseLifetime(options.expiresIn);
        const created = await withAuditedAuth(
          options.backendStoreUri,
          'tokens create',
          (auth) => auth.tokens.create({ userName: options.user, name: options.name, lifetimeMs }),
          (made) => ({ kind: 'token', id: made.view.tokenId, summary: { user: options.user, name: options.name, lifetime_ms: lifetimeMs } }),
        );
        const expires = created.view.expiresAt === null ? 'never expires' : `expires ${formatTime(created.view.expiresAt)}`;
        // The token alone on stdout, so `TOKEN=$(cairn tokens create ...)` captures just it.
        process.stderr.write(`Token '${created.view.name}' for user '${created.view.userName}' (id ${created.view.tokenId}, ${expires}). It is shown only this once:\n`);
        process.stdout.write(`${created.token}\n`);
      } catch (error) {
        fail(error);
      }
    });

  store(tokens.command('list'))
    .description("List tokens (everyone's, or one user's); never shows the secrets")
    .option('--user <name>', 'only this user\'s tokens')
    .action(async (options: StoreOption & { user?: string }) => {
      try {
        const list = await withAuth(options.backendStoreUri, (auth) => auth.tokens.list(options.user));
        printTable(
          ['ID', 'USER', 'NAME', 'CREATED', 'EXPIRES', 'REVOKED', 'LAST USED'],
          list.map((t) => [t.tokenId, t.userName, t.name, formatTime(t.createdAt), t.expiresAt === null ? 'never' : formatTime(t.expiresAt), formatTime(t.revokedAt), formatTime(t.lastUsedAt)]),
        );
      } catch (error) {
        fail(error);
      }
    });

  store(tokens.command('revoke <token-id>'))
    .description('Revoke a token by its id (from `cairn tokens list`): it stops working at once')
    .action(async (tokenId: string, options: StoreOption) => {
      try {
        await withAuditedAuth(options.backendStoreUri, 'tokens revoke', (auth) => auth.tokens.revoke(tokenId), () => ({ kind: 'token', id: tokenId }));
        process.stdout.write(`Token ${tokenId} revoked\n`);
      } catch (error) {
        fail(error);
      }
    });
}
