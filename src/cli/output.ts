import { CairnError } from '../core/errors.js';

/** Print a one-line error (never a stack trace) and exit with the error's code. */
export function fail(error: unknown): never {
  if (error instanceof CairnError) {
    process.stderr.write(`cairn: ${error.message}\n`);
    process.exit(error.exitCode);
  }
  const e = error as NodeJS.ErrnoException;
  if (e?.code === 'EADDRINUSE') process.stderr.write(`cairn: the address is already in use (${e.message})\n`);
  else if (e?.code === 'EACCES') process.stderr.write(`cairn: permission denied (${e.message})\n`);
  else process.stderr.write(`cairn: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
