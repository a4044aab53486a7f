// `npm run bench -- data [--small-files 100000] [--large-gb 5] [--only cairn|dvc] [--skip small|large]`
//
// DVC (PyPI, .venv/bin/dvc) and `cairn data` on the same trees, one after the other, each in its
// own fresh git repository with a local folder remote: `add`, `status` on the unchanged tree, and
// `push`. Case (a): many small files; case (b): a few large files. Prints wall time and peak memory
// (the process tree's RSS) for both, the DVC/cairn ratio, and this machine's raw md5 throughput
// (node:crypto over the large files, one pass, read from the page cache) as the ceiling for (b).
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMemorySampler } from './lib/memory.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const dvc = join(repo, '.venv', 'bin', 'dvc');
const cairn = join(repo, 'bin', 'cairn');

function parseOptions(argv) {
  const options = { smallFiles: 100_000, largeGb: 5, only: undefined, skip: undefined };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--small-files') options.smallFiles = Number(value);
    else if (flag === '--large-gb') options.largeGb = Number(value);
    else if (flag === '--only' && (value === 'cairn' || value === 'dvc')) options.only = value;
    else if (flag === '--skip' && (value === 'small' || value === 'large')) options.skip = value;
    else {
      console.error('usage: npm run bench -- data [--small-files 100000] [--large-gb 5] [--only cairn|dvc] [--skip small|large]');
      process.exit(2);
    }
  }
  return options;
}

const log = (message) => process.stderr.write(`[data bench] ${message}\n`);

/** Run a command in a folder; resolve with wall seconds and the process tree's peak RSS. */
function measure(command, args, cwd) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DVC_NO_ANALYTICS: '1' } });
    const sampler = startMemorySampler(child.pid, 100);
    let output = '';
    child.stdout.on('data', (d) => (output = (output + d).slice(-4000)));
    child.stderr.on('data', (d) => (output = (output + d).slice(-4000)));
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const { peakKiB } = sampler.stop();
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${output}`));
      else resolve({ seconds, peakMiB: peakKiB / 1024 });
    });
  });
}

/** The small-file tree: `count` files of 1–4 KiB in folders of 1,000, written once and reused. */
function smallTree(count) {
  const root = join(tmpdir(), `cairn-data-bench-small-${count}`);
  if (existsSync(join(root, '.complete'))) return root;
  log(`writing ${count} small files under ${root}`);
  rmSync(root, { recursive: true, force: true });
  for (let i = 0; i < count; i++) {
    const folder = join(root, `part-${String(Math.floor(i / 1000)).padStart(4, '0')}`);
    if (i % 1000 === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `file-${i}.txt`), randomBytes(1024 + (i % 3072)));
  }
  writeFileSync(join(root, '.complete'), '');
  return root;
}

/** The large-file tree: five files totalling `gb` GiB of random bytes, written once and reused. */
async function largeTree(gb) {
  const root = join(tmpdir(), `cairn-data-bench-large-${gb}`);
  if (existsSync(join(root, '.complete'))) return root;
  log(`writing ${gb} GiB in 5 files under ${root}`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const perFile = Math.floor((gb * 1024 ** 3) / 5);
  const chunk = randomBytes(8 << 20);
  for (let f = 0; f < 5; f++) {
    const handle = await open(join(root, `shard-${f}.bin`), 'w');
    for (let written = 0; written < perFile; written += chunk.length) {
      chunk.writeUInt32LE(written ^ f, 0); // every 8 MiB block differs, so nothing dedupes
      await handle.write(chunk, 0, Math.min(chunk.length, perFile - written));
    }
    await handle.close();
  }
  writeFileSync(join(root, '.complete'), '');
  return root;
}

/** A fresh git repository holding a copy (hard links) of the tree as data/, with a local remote. */
function freshRepo(tree, tool) {
  const dir = join(tmpdir(), `cairn-data-bench-${tool}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const run = (cmd, args) => {
    const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  };
  run('git', ['init', '-q']);
  run('cp', ['-al', tree, join(dir, 'data')]);
  rmSync(join(dir, 'data', '.complete'), { force: true });
  if (tool === 'dvc') {
    run(dvc, ['init', '-q']);
    run(dvc, ['remote', 'add', '-d', 'store', join(dir, '..', `cairn-data-bench-remote-dvc-${process.pid}`)]);
  } else {
    run(cairn, ['data', 'remote', 'add', '-d', 'store', join(dir, '..', `cairn-data-bench-remote-cairn-${process.pid}`)]);
  }
  return dir;
}

async function runTool(tool, tree) {
  const dir = freshRepo(tree, tool);
  const cmd = tool === 'dvc' ? dvc : process.execPath;
  const prefix = tool === 'dvc' ? [] : [cairn, 'data'];
  const results = {};
  for (const step of ['add', 'status', 'push']) {
    const args = step === 'add' ? ['add', 'data'] : step === 'push' ? ['push', '-j', '8'] : ['status'];
    log(`${tool} ${step} …`);
    results[step] = await measure(cmd, [...prefix, ...args], dir);
    log(`${tool} ${step}: ${results[step].seconds.toFixed(2)} s, ${results[step].peakMiB.toFixed(0)} MiB`);
  }
  rmSync(dir, { recursive: true, force: true });
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith(`cairn-data-bench-remote-${tool}-${process.pid}`))) {
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
  return results;
}

async function rawMd5(tree) {
  const files = readdirSync(tree).filter((n) => n.endsWith('.bin')).map((n) => join(tree, n));
  let bytes = 0;
  const started = performance.now();
  for (const file of files) {
    await new Promise((resolve, reject) => {
      const hash = createHash('md5');
      createReadStream(file, { highWaterMark: 1 << 20 })
        .on('data', (d) => {
          bytes += d.length;
          hash.update(d);
        })
        .on('end', resolve)
        .on('error', reject);
    });
  }
  return bytes / 1024 ** 2 / ((performance.now() - started) / 1000);
}

function table(title, results, extra = []) {
  const rows = [['step', 'DVC', 'cairn', 'DVC / cairn']];
  for (const step of ['add', 'status', 'push']) {
    const d = results.dvc?.[step];
    const c = results.cairn?.[step];
    const fmt = (r) => (r ? `${r.seconds.toFixed(2)} s, ${r.peakMiB.toFixed(0)} MiB` : '–');
    rows.push([step, fmt(d), fmt(c), d && c ? `${(d.seconds / c.seconds).toFixed(1)}×` : '–']);
  }
  console.log(`\n${title}`);
  for (const r of [...rows, ...extra]) console.log(`  ${r[0].padEnd(8)} ${String(r[1]).padEnd(22)} ${String(r[2]).padEnd(22)} ${r[3] ?? ''}`);
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (!existsSync(dvc)) throw new Error(`${dvc} is missing: run node scripts/ensure-python.mjs`);
  const tools = options.only ? [options.only] : ['dvc', 'cairn'];
  if (options.skip !== 'small') {
    const tree = smallTree(options.smallFiles);
    const results = {};
    for (const tool of tools) results[tool] = await runTool(tool, tree);
    table(`(a) ${options.smallFiles.toLocaleString('en')} small files`, results);
  }
  if (options.skip !== 'large') {
    const tree = await largeTree(options.largeGb);
    const md5 = await rawMd5(tree);
    const results = {};
    for (const tool of tools) results[tool] = await runTool(tool, tree);
    const bytesMiB = options.largeGb * 1024;
    const addRate = results.cairn ? bytesMiB / results.cairn.add.seconds : undefined;
    table(`(b) ${options.largeGb} GiB in 5 files`, results, [
      ['md5', `raw: ${md5.toFixed(0)} MiB/s`, addRate ? `add: ${addRate.toFixed(0)} MiB/s` : '–', addRate ? `${((addRate / md5) * 100).toFixed(0)}% of raw` : ''],
    ]);
  }
}

main().catch((error) => {
  console.error(`data bench failed: ${error.message}`);
  process.exit(1);
});
