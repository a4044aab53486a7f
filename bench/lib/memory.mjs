// Peak memory of a server and every process under it (MLflow runs uvicorn workers as child
// processes, so its footprint is the sum of the tree), sampled from /proc every 200 ms and
// attributed to whichever benchmark phases are running at the time.
import { readdirSync, readFileSync } from 'node:fs';

/** The pid and all its descendants, from /proc/<pid>/task/<tid>/children. */
export function processTree(rootPid) {
  const seen = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift();
    seen.push(pid);
    let tasks = [];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // exited between listing and reading
    }
    for (const tid of tasks) {
      try {
        const children = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
        if (children) queue.push(...children.split(/\s+/).map(Number));
      } catch {
        // the thread ended; its children were re-parented and show up under another task
      }
    }
  }
  return seen;
}

/** VmRSS and VmHWM of one process in KiB, or undefined when it is gone. */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name) => Number((status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm')) ?? [])[1] ?? 0);
    return { rssKiB: field('VmRSS'), hwmKiB: field('VmHWM') };
  } catch {
    return undefined;
  }
}

/**
 * Start sampling the tree under rootPid. enter(phase)/leave(phase) bracket phases (they may
 * nest); stop() returns the peak summed RSS overall and per phase, the RSS when each phase began,
 * the sum of each process's own high-water mark (VmHWM), and the most processes seen at once.
 */
export function startMemorySampler(rootPid, intervalMs = 200) {
  const active = new Set();
  const phases = {};
  const hwmByPid = new Map();
  let peakKiB = 0;
  let lastKiB = 0;
  let mostProcesses = 0;

  function sample() {
    const pids = processTree(rootPid);
    let total = 0;
    let alive = 0;
    for (const pid of pids) {
      const memory = memoryOf(pid);
      if (!memory) continue;
      alive += 1;
      total += memory.rssKiB;
      hwmByPid.set(pid, Math.max(hwmByPid.get(pid) ?? 0, memory.hwmKiB));
    }
    if (alive === 0) return;
    lastKiB = total;
    peakKiB = Math.max(peakKiB, total);
    mostProcesses = Math.max(mostProcesses, alive);
    for (const name of active) phases[name].peakKiB = Math.max(phases[name].peakKiB, total);
  }

  const timer = setInterval(sample, intervalMs);
  sample();
  return {
    enter(name) {
      sample();
      phases[name] = { startKiB: lastKiB, peakKiB: lastKiB };
      active.add(name);
    },
    leave(name) {
      sample();
      active.delete(name);
    },
    /** How many processes the tree has now (MLflow: the CLI, uvicorn's supervisor, its workers). */
    processCount() {
      return processTree(rootPid).filter((pid) => memoryOf(pid)).length;
    },
    stop() {
      sample();
      clearInterval(timer);
      const hwmSumKiB = [...hwmByPid.values()].reduce((sum, kib) => sum + kib, 0);
      return { peakKiB, hwmSumKiB, mostProcesses, phases };
    },
  };
}
