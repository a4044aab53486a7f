#!/usr/bin/env node
// `npm run bench -- <name> [args]`: run bench/<name>.mjs with the remaining arguments.
// Without a name, or with one that does not exist, list the benchmarks there are.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('../bench', import.meta.url));
const [name, ...args] = process.argv.slice(2);

function available() {
  return readdirSync(benchDir)
    .filter((file) => file.endsWith('.mjs'))
    .map((file) => file.slice(0, -'.mjs'.length))
    .sort();
}

const script = name ? join(benchDir, `${name}.mjs`) : undefined;
if (!script || !/^[\w-]+$/.test(name) || !existsSync(script)) {
  if (name) console.error(`no benchmark named "${name}"`);
  console.error(`usage: npm run bench -- <name> [args]\navailable: ${available().join(', ') || '(none)'}`);
  process.exit(name ? 1 : 2);
}
const child = spawn(process.execPath, [script, ...args], { stdio: 'inherit' });
// Forward Ctrl-C and termination so the benchmark can stop the servers it started.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
