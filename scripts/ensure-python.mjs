#!/usr/bin/env node
// Make sure <repo>/.venv exists and holds exactly what tests/requirements.txt pins (the official
// MLflow client and friends the compatibility tests drive). Installs only when the venv is missing
// or broken, or when requirements.txt changed since the last successful install: a stamp file in
// .venv holds the hash of the requirements it was built from.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = dirname(dirname(fileURLToPath(import.meta.url)));
const venv = join(repo, '.venv');
const requirements = join(repo, 'tests', 'requirements.txt');
const stampFile = join(venv, '.cairn-requirements.sha256');
const venvPython = join(venv, 'bin', 'python');
const basePython = process.env.PYTHON ?? 'python3';

function say(message) {
  process.stdout.write(`ensure-python: ${message}\n`);
}

function fail(message) {
  process.stderr.write(`ensure-python: ERROR: ${message}\n`);
  process.exit(1);
}

/** Run a command with its output shown; return whether it succeeded. */
function run(command, args) {
  say(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: repo });
  if (result.error) {
    say(`could not run ${command}: ${result.error.message}`);
    return false;
  }
  return result.status === 0;
}

function venvWorks() {
  if (!existsSync(venvPython)) return false;
  const probe = spawnSync(venvPython, ['-c', 'import sys, pip; print(sys.version)'], { encoding: 'utf8' });
  return probe.status === 0;
}

function main() {
  if (!existsSync(requirements)) fail(`${requirements} is missing`);
  const wanted = createHash('sha256').update(readFileSync(requirements)).digest('hex');

  if (existsSync(venv) && !venvWorks()) {
    say(`${venv} exists but its python does not run; recreating it`);
    rmSync(venv, { recursive: true, force: true });
  }
  if (!existsSync(venv)) {
    say(`creating ${venv} with ${basePython}`);
    if (!run(basePython, ['-m', 'venv', venv])) {
      rmSync(venv, { recursive: true, force: true });
      fail(`\`${basePython} -m venv\` failed. On Debian/Ubuntu install python3-venv (apt-get install python3-venv), or set PYTHON to a python3 that has the venv module.`);
    }
  } else if (existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === wanted) {
    say(`${venv} is up to date with tests/requirements.txt`);
    return;
  }

  const started = Date.now();
  say('installing tests/requirements.txt (first run downloads MLflow and scikit-learn: a few minutes)');
  const pip = ['-m', 'pip', '--disable-pip-version-check'];
  if (!run(venvPython, [...pip, 'install', '--upgrade', 'pip'])) {
    fail('upgrading pip failed; is PyPI reachable (check proxy settings)?');
  }
  if (!run(venvPython, [...pip, 'install', '--progress-bar', 'off', '-r', requirements])) {
    fail('installing tests/requirements.txt failed (see pip output above); the stamp was not written, so the next run retries');
  }
  writeFileSync(stampFile, `${wanted}\n`);
  say(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; ${venv} matches tests/requirements.txt`);
}

main();
