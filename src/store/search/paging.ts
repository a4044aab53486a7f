/** Offset paging as MLflow's SQL stores do it: read one row more than asked to know if a next page exists. */
import { invalid } from '../../core/errors.js';
import { encodePageToken } from '../../core/search/index.js';

/** A page of results and the token for the next one, absent on the last page. */
export interface Page<T> {
  readonly items: T[];
  readonly nextPageToken?: string;
}

/** Check `maxResults` is a whole number that is not negative. */
export function checkMaxResults(maxResults: number): void {
  if (!Number.isSafeInteger(maxResults) || maxResults < 0) {
    throw invalid(`Invalid value for request parameter max_results. It must be a non-negative integer, but got value ${maxResults}`);
  }
}

/** Cut the `maxResults + 1` rows read at `offset` down to a page, with a token when more follow. */
export function finishPage<T>(rows: T[], offset: number, maxResults: number, tokenExtra?: Readonly<Record<string, unknown>>): Page<T> {
  if (rows.length <= maxResults || maxResults === 0) return { items: rows.slice(0, maxResults) };
  return { items: rows.slice(0, maxResults), nextPageToken: encodePageToken(offset + maxResults, tokenExtra) };
}

/** Experiment ids arrive as strings on the wire; the column is an integer. */
export function experimentIdNumbers(ids: readonly (string | number)[]): number[] {
  return ids.map((id) => {
    const asNumber = typeof id === 'number' ? id : /^\d+$/.test(id.trim()) ? Number(id) : NaN;
    if (!Number.isSafeInteger(asNumber) || asNumber < 0) throw invalid(`Invalid experiment ID: '${String(id)}'`);
    return asNumber;
  });
}
