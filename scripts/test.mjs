#!/usr/bin/env node
// `npm test`: build, then every suite — the TypeScript unit and integration tests (node's test
// runner, SQLite and PostgreSQL), the Python compatibility suite (the official MLflow client),
// and the browser tests (Chromium) — and print one closing line with the totals.
// Usage: npm test [-- --only node|compat|ui] [-- --pattern <substring of a test file path>]
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const pattern = args.includes('--pattern') ? args[args.indexOf('--pattern') + 1] : undefined;
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function run(command, commandArgs, { env, parse } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let tail = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString()).slice(-20000);
    });
    child.on('close', (code) => {
      if (parse) parse(tail, code);
      resolve(code ?? 1);
    });
  });
}

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...testFiles(full));
    else if (name.endsWith('.test.js') || name.endsWith('.test.mjs')) out.push(full);
  }
  return out.filter((f) => !pattern || f.includes(pattern)).sort();
}

/** node --test with the TAP reporter; its closing "# pass N" / "# fail N" lines give the counts. */
function parseTap(suite) {
  return (tail, code) => {
    const count = (label) => Number((tail.match(new RegExp(`^# ${label} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
    const passed = count('pass');
    const failed = count('fail') + count('cancelled');
    totals.passed += passed;
    totals.failed += failed;
    totals.skipped += count('skipped') + count('todo');
    if (failed > 0 || code !== 0) failures.push(`${suite} (exit ${code}, ${failed} failed)`);
    if (code !== 0 && failed === 0) totals.failed += 1;
  };
}

/** pytest's summary line: "== 12 passed, 1 failed, 2 skipped in 3.4s ==". */
const parsePytest = (suite) => (tail, code) => {
  // With -q the summary is a bare line: "4 failed, 122 passed in 57.34s"; without it, framed by '='.
  const summary = [...tail.matchAll(/^=*\s*((?:\d+ \w+(?:, )?)+) in [\d.]+s/gm)].pop()?.[1] ?? '';
  const count = (label) => Number((summary.match(new RegExp(`(\\d+) ${label}`)) ?? [])[1] ?? 0);
  totals.passed += count('passed');
  totals.failed += count('failed') + count('error');
  totals.skipped += count('skipped');
  if (code !== 0) {
    failures.push(`${suite} (exit ${code})`);
    if (count('failed') + count('error') === 0) totals.failed += 1;
  }
};

async function main() {
  const started = Date.now();
  if ((await run('npm', ['run', '--silent', 'build'])) !== 0) {
    console.error('npm test: the build failed');
    process.exit(1);
  }
  const wants = (suite) => !only || only === suite;
  if (!only) {
    console.log('\n=== Lint: layer boundaries and type imports ===');
    if ((await run(join(root, 'node_modules/.bin/eslint'), ['src'])) === 0) totals.passed += 1;
    else {
      totals.failed += 1;
      failures.push('lint');
    }
  }
  if (wants('node')) {
    const files = testFiles(join(root, 'dist')).map((f) => relative(root, f));
    console.log(`\n=== TypeScript tests: ${files.length} files ===`);
    await run(process.execPath, ['--test', '--test-reporter=tap', '--test-concurrency=2', '--test-timeout=600000', ...files], { parse: parseTap('node') });
  }
  if (wants('compat')) {
    console.log('\n=== Python suites: the official MLflow client, serving end to end, reference checks ===');
    if ((await run(process.execPath, ['scripts/ensure-python.mjs'])) !== 0) {
      failures.push('python environment');
      totals.failed += 1;
    } else {
      // Every Python suite: the MLflow client (compat), serving end to end, and the reference checks.
      // One pytest run each: every suite has its own conftest, and tests import from theirs.
      for (const suite of ['tests/compat', 'tests/serving', 'tests/reference', 'tests/security'].filter((d) => existsSync(join(root, d)))) {
        const pytestArgs = ['-q', '-p', 'no:cacheprovider', suite];
        if (pattern) pytestArgs.push('-k', pattern);
        await run(join(root, '.venv/bin/pytest'), pytestArgs, { parse: parsePytest(suite) });
      }
      // The MLflow client's whole workflow again with authentication on, signed in each way it
      // can be (SQLite only: the dialects are covered above, sign-in is the same on both).
      for (const mode of ['basic', 'token']) {
        const pytestArgs = ['-q', '-p', 'no:cacheprovider', 'tests/compat'];
        if (pattern) pytestArgs.push('-k', pattern);
        const env = { CAIRN_COMPAT_AUTH: mode, CAIRN_COMPAT_BACKENDS: 'sqlite' };
        await run(join(root, '.venv/bin/pytest'), pytestArgs, { env, parse: parsePytest(`tests/compat with --auth (${mode})`) });
      }
    }
  }
  if (wants('ui')) {
    const files = testFiles(join(root, 'ui/tests')).map((f) => relative(root, f));
    console.log(`\n=== Browser tests: ${files.length} files ===`);
    if (files.length > 0) await run(process.execPath, ['--test', '--test-reporter=tap', '--test-concurrency=1', ...files], { parse: parseTap('ui') });
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(`\nnpm test finished in ${seconds} s${failures.length ? `; failing: ${failures.join(', ')}` : ''}`);
  console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(totals.failed > 0 ? 1 : 0);
}

await main();
