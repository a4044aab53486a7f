// `npm run bench -- file-create [--files 50000] [--size 2500]`: how long this machine's file system
// takes to create many small files (open, write, close, in 256 folders as a cache lays them out),
// with no hashing or bookkeeping: the floor under `add` and `push` of many small files.
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const option = (flag, fallback) => (args.includes(flag) ? Number(args[args.indexOf(flag) + 1]) : fallback);
const files = option('--files', 50_000);
const size = option('--size', 2500);
if (!Number.isInteger(files) || files <= 0 || !Number.isInteger(size) || size < 0) {
  console.error('usage: npm run bench -- file-create [--files N] [--size BYTES]');
  process.exit(2);
}

const root = mkdtempSync(join(tmpdir(), 'cairn-file-create-'));
try {
  const folders = Array.from({ length: 256 }, (_, i) => join(root, i.toString(16).padStart(2, '0')));
  for (const folder of folders) mkdirSync(folder);
  const bytes = Buffer.alloc(size, 7);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < files; i++) {
    const fd = openSync(join(folders[i % 256], `f${i}`), 'wx', 0o444);
    writeSync(fd, bytes);
    closeSync(fd);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  console.log(`${files} files of ${size} B: ${seconds.toFixed(2)} s wall, ${(cpu.system / 1e6).toFixed(2)} s system, ${(cpu.user / 1e6).toFixed(2)} s user; ${((seconds * 1e6) / files).toFixed(0)} µs per file`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
