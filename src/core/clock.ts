/** Milliseconds since the epoch; one place so tests and services agree on "now". */
export const nowMs = (): number => Date.now();
