/** Small helpers the search suites share. */
import assert from 'node:assert/strict';
import { CairnError } from '../../core/errors.js';

/** Assert that a promise fails with INVALID_PARAMETER_VALUE and a message matching `pattern`. */
export async function rejectsInvalid(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof CairnError && error.code === 'INVALID_PARAMETER_VALUE' && pattern.test(error.message));
}

/** Follow page tokens to the end, collecting every page's items. */
export async function allPages<T>(fetch: (pageToken: string | undefined) => Promise<{ items: T[]; nextPageToken?: string | undefined }>): Promise<T[][]> {
  const pages: T[][] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    pages.push(page.items);
    token = page.nextPageToken;
    assert.ok(pages.length < 100, 'paging terminates');
  } while (token !== undefined);
  return pages;
}
