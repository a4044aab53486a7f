import assert from 'node:assert/strict';
import { CairnError, type ErrorCode } from '../core/errors.js';

/** Await `promise` and check it fails with `code` (and, when given, a message containing `text`). */
export async function rejectsWith(promise: Promise<unknown>, code: ErrorCode, text?: string | RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof CairnError, `expected a CairnError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (typeof text === 'string') assert.ok(error.message.includes(text), `message "${error.message}" lacks "${text}"`);
    if (text instanceof RegExp) assert.match(error.message, text);
    return true;
  });
}
