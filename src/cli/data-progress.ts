/** Progress bars for `cairn data` on stderr (only on a terminal), with rate and ETA. */
import type cliProgressModule from 'cli-progress';
import { createRequire } from 'node:module';
import type { Progress, ProgressTask } from '../data/index.js';

// Loaded only when a bar is drawn (stderr is a terminal): scripts and benchmarks skip its load time.
const loadBars = (): typeof cliProgressModule => createRequire(import.meta.url)('cli-progress') as typeof cliProgressModule;
// Redraw at most this often: a bar update per finished file would cost more than the files.
const REDRAW_MS = 100;

/** Human-readable bytes: 1.5 MB, 3.2 GB. */
export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** A Progress that draws one cli-progress bar per phase when stderr is a terminal. */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { start: () => ({ advance: () => undefined, finish: () => undefined }) };
  return {
    start(label, totals): ProgressTask {
      if (totals.items === 0) return { advance: () => undefined, finish: () => undefined };
      const cliProgress = loadBars();
      const started = Date.now();
      let bytes = 0;
      let drawn = 0;
      const bar = new cliProgress.SingleBar(
        {
          stream,
          format: `${label} |{bar}| {percentage}% | {value}/{total} files | {rate} | ETA {eta_formatted}`,
          hideCursor: true,
          clearOnComplete: true,
          etaBuffer: 50,
          fps: 10,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(totals.items, 0, { rate: '' });
      let items = 0;
      return {
        advance(b, n) {
          bytes += b;
          items += n;
          const now = Date.now();
          if (now - drawn < REDRAW_MS && items < totals.items) return;
          drawn = now;
          const seconds = Math.max((now - started) / 1000, 0.001);
          const rate = bytes > 0 ? `${formatBytes(bytes / seconds)}/s` : `${Math.round(items / seconds)} files/s`;
          bar.update(items, { rate });
        },
        finish() {
          bar.stop();
        },
      };
    },
  };
}
