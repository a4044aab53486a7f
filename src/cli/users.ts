/**
 * `cairn users`: manage accounts straight in the database (no running server needed), which is
 * also how the first admin is made: `cairn users create <name> --admin`.
 */
import type { Command } from 'commander';
import { createAuth, type Auth } from '../auth/index.js';
import { DEFAULTS, isLoopbackHost, type ServerConfig } from '../core/config.js';
import { CairnError, invalid } from '../core/errors.js';
import { openDatabase } from '../store/db.js';
import { withAuditedAuth } from './audit.js';
import { fail } from './output.js';

const STORE_HELP = 'metadata store, as for `cairn server`';

/** Open the store, run the action with the auth capability, and close the store again. */
export async function withAuth<T>(backendStoreUri: string, action: (auth: Auth) => Promise<T>): Promise<T> {
  const db = await openDatabase(backendStoreUri);
  try {
    return await action(createAuth(db));
  } finally {
    await db.close();
  }
}

/** Read a line from the terminal without echoing it. */
function promptHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
    };
    function onData(chunk: string): void {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          finish();
          resolve(value);
          return;
        }
        // Ctrl-C, or Ctrl-D on an empty line.
        if (ch === '\u0003' || (ch === '\u0004' && value === '')) {
          finish();
          reject(invalid('cancelled: no password given'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else value += ch;
      }
    }
    input.on('data', onData);
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** The new password: from standard input with --password-stdin, else typed twice on the terminal. */
export async function readNewPassword(fromStdin: boolean, userName: string): Promise<string> {
  if (fromStdin) return readStdin();
  if (!process.stdin.isTTY) throw invalid('no password: pipe it in with --password-stdin, or run this on a terminal to be asked for it');
  const first = await promptHidden(`Password for ${userName}: `);
  const second = await promptHidden('Repeat the password: ');
  if (first !== second) throw invalid('the two passwords differ; nothing was changed');
  return first;
}

/** An epoch-milliseconds time as ISO 8601 to the second, or "-". */
export function formatTime(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Print rows as aligned columns. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  process.stdout.write(`${[line(header), ...rows.map(line)].join('\n')}\n`);
}


interface StoreOption {
  backendStoreUri: string;
}

function roleFrom(options: { admin?: boolean; role?: string }): string {
  if (options.admin && options.role !== undefined && options.role !== 'admin') {
    throw new CairnError('INVALID_PARAMETER_VALUE', `--admin and --role ${options.role} contradict each other: give one`);
  }
  return options.admin ? 'admin' : (options.role ?? 'member');
}

/** `cairn users create|list|disable|enable|set-role|set-password|unlock`. */
export function registerUsersCommand(program: Command): void {
  const users = program.command('users').description('Manage user accounts (works on the database directly; no server needed)');
  const store = (c: Command): Command => c.option('--backend-store-uri <uri>', STORE_HELP, DEFAULTS.backendStoreUri);

  store(users.command('create <name>'))
    .description('Create a user; asks for the password on a terminal (twice), or reads it with --password-stdin')
    .option('--admin', 'make the user an admin (same as --role admin)')
    .option('--role <role>', 'admin, member or viewer', undefined)
    .option('--password-stdin', 'read the password from standard input')
    .action(async (name: string, options: StoreOption & { admin?: boolean; role?: string; passwordStdin?: boolean }) => {
      try {
        const role = roleFrom(options);
        const password = await readNewPassword(options.passwordStdin === true, name);
        const user = await withAuditedAuth(options.backendStoreUri, 'users create', (auth) => auth.users.create({ name, password, role }), (made) => ({ kind: 'user', id: made.name, summary: { name: made.name, role } }));
        process.stdout.write(`Created user '${user.name}' with role ${user.role}\n`);
      } catch (error) {
        fail(error);
      }
    });

  store(users.command('list'))
    .description('List users')
    .action(async (options: StoreOption) => {
      try {
        const list = await withAuth(options.backendStoreUri, (auth) => auth.users.list());
        printTable(['NAME', 'ROLE', 'STATUS', 'CREATED'], list.map((u) => [u.name, u.role, u.disabled ? 'disabled' : 'enabled', formatTime(u.createdAt)]));
      } catch (error) {
        fail(error);
      }
    });

  for (const [command, disabled] of [['disable', true], ['enable', false]] as const) {
    store(users.command(`${command} <name>`))
      .description(disabled ? 'Disable a user: their password, tokens and sessions stop working' : 'Enable a disabled user again')
      .action(async (name: string, options: StoreOption) => {
        try {
          const user = await withAuditedAuth(options.backendStoreUri, `users ${command}`, (auth) => auth.users.setDisabled(name, disabled), (changed) => ({ kind: 'user', id: changed.name, summary: { disabled } }));
          process.stdout.write(`User '${user.name}' is ${user.disabled ? 'disabled' : 'enabled'}\n`);
        } catch (error) {
          fail(error);
        }
      });
  }

  store(users.command('set-role <name> <role>'))
    .description('Change a user\'s role: admin, member or viewer')
    .action(async (name: string, role: string, options: StoreOption) => {
      try {
        const user = await withAuditedAuth(options.backendStoreUri, 'users set-role', (auth) => auth.users.setRole(name, role), (changed) => ({ kind: 'user', id: changed.name, summary: { role } }));
        process.stdout.write(`User '${user.name}' now has role ${user.role}\n`);
      } catch (error) {
        fail(error);
      }
    });

  store(users.command('set-password <name>'))
    .description('Set a new password (their browser sessions end; API tokens keep working)')
    .option('--password-stdin', 'read the password from standard input')
    .action(async (name: string, options: StoreOption & { passwordStdin?: boolean }) => {
      try {
        const password = await readNewPassword(options.passwordStdin === true, name);
        await withAuditedAuth(options.backendStoreUri, 'users set-password', (auth) => auth.users.setPassword(name, password), () => ({ kind: 'user', id: name }));
        process.stdout.write(`Password of '${name}' changed\n`);
      } catch (error) {
        fail(error);
      }
    });

  store(users.command('unlock <name>'))
    .description('Lift a lock-out after repeated failed sign-ins')
    .action(async (name: string, options: StoreOption) => {
      try {
        await withAuditedAuth(options.backendStoreUri, 'users unlock', (auth) => auth.users.unlock(name), () => ({ kind: 'user', id: name }));
        process.stdout.write(`Sign-in for '${name}' is unlocked\n`);
      } catch (error) {
        fail(error);
      }
    });
}

/**
 * At server start: warn when serving beyond loopback without authentication, and when
 * authentication is on but no user exists, print a one-time token that creates the first admin.
 */
export async function announceAuth(config: ServerConfig): Promise<void> {
  if (!config.authEnabled) {
    if (!isLoopbackHost(config.host)) {
      process.stderr.write(
        `cairn: WARNING: authentication is OFF (--insecure-no-auth) while listening on ${config.host}: anyone who can reach this port can read, change and delete everything.\n`,
      );
    }
    return;
  }
  const issued = await withAuth(config.backendStoreUri, (auth) => auth.bootstrap.issue());
  if (!issued) return;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  process.stderr.write(
    [
      'cairn: authentication is on and no user exists yet. Create the first admin, either with',
      `    cairn users create <name> --admin --backend-store-uri '${config.backendStoreUri.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@')}'`,
      `or, once, with this bootstrap token (valid until ${formatTime(issued.expiresAt)}, printed only now):`,
      `    curl -X POST ${url}/api/v1/users -H 'Authorization: Bearer ${issued.token}' \\`,
      `         -H 'Content-Type: application/json' -d '{"name": "<name>", "password": "<password>", "role": "admin"}'`,
      '',
    ].join('\n'),
  );
}
