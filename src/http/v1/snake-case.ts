/** Shared encoding for cairn's own /api/v1 answers: snake_case keys, as MLflow's JSON has. */

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Rename an object's keys to snake_case, all the way down. Only for values whose keys are field
 * names cairn chose (never user data such as tag keys).
 */
export function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).map(([k, v]) => [snake(k), snakeKeys(v)]));
}
