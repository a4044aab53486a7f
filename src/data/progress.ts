/** How long operations report progress, without knowing how it is shown (bars, logs, nothing). */

/** One phase of work (hashing, uploading, ...). */
export interface ProgressTask {
  /** Some bytes and/or items are done. */
  advance(bytes: number, items: number): void;
  finish(): void;
}

/** Starts progress tasks; the CLI draws bars, tests pass `silentProgress`. */
export interface Progress {
  start(label: string, totals: { items: number; bytes: number }): ProgressTask;
}

/** Progress that shows nothing. */
export const silentProgress: Progress = Object.freeze({
  start: () => ({ advance: () => undefined, finish: () => undefined }),
});
