/**
 * `node dist/testing/postgres-cli.js`: start a throwaway PostgreSQL cluster for tests written in
 * other languages. Prints the connection URI on stdout, then keeps the cluster up until stdin
 * closes (the parent went away) or SIGTERM/SIGINT arrives, and removes it.
 */
import { fstatSync } from 'node:fs';
import { isatty } from 'node:tty';
import { startPostgres } from './postgres.js';

/** True when stdin is a pipe, socket or terminal that a parent holds open, so its end means "stop". */
function stdinTracksParent(): boolean {
  try {
    const stat = fstatSync(0);
    return stat.isFIFO() || stat.isSocket() || isatty(0);
  } catch {
    return false;
  }
}

async function runPostgresForParent(): Promise<void> {
  const cluster = await startPostgres();
  let stopping: Promise<void> | undefined;
  function shutDown(): void {
    stopping ??= cluster.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`postgres-cli: stopping failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  }
  process.on('SIGTERM', shutDown);
  process.on('SIGINT', shutDown);
  process.on('SIGHUP', shutDown);
  // Watching stdin is how we notice a parent that died without sending a signal. Started with
  // `&` (stdin is /dev/null) it would end at once, so then only signals stop the cluster.
  if (stdinTracksParent()) {
    process.stdin.on('end', shutDown);
    process.stdin.on('close', shutDown);
    process.stdin.on('error', shutDown);
    process.stdin.resume();
  }
  // Signal handlers do not keep node alive; this timer does, until shutDown exits the process.
  setInterval(() => undefined, 60_000);
  process.stdout.write(`${cluster.uri}\n`);
}

runPostgresForParent().catch((error: unknown) => {
  process.stderr.write(`postgres-cli: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
