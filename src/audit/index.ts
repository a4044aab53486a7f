/**
 * The tamper-evident audit log: append entries (in the caller's unit of work, so an entry commits
 * with its change), query and export them, and verify the hash chain.
 */
import { userInfo } from 'node:os';
import { nowMs } from '../core/clock.js';
import { invalid } from '../core/errors.js';
import { insertAuditEntry, lockAuditChain, selectAuditEntries, selectChainHead, type AuditFilter } from '../store/audit/entries.js';
import type { Db } from '../store/db.js';
import { runInUnitOfWork } from '../store/unit-of-work.js';
import { summarizeChange } from './summary.js';
import { ChainWalk, chainHash, GENESIS_HASH, type AuditEntry, type AuditFields, type ChainProblem } from './chain.js';

export { chainHash, GENESIS_HASH, type AuditEntry, type AuditFields, type ChainProblem } from './chain.js';
export { resourceKindOf, resourceOf, verbOf, type AuditResource } from './resource.js';
export { isSecretField, MAX_SUMMARY_LENGTH, redactSecrets, summarizeChange } from './summary.js';
export type { AuditFilter } from '../store/audit/entries.js';

/** What a caller says about a change; the log adds seq, time and hash. */
export type AuditRecord = Omit<AuditFields, 'seq' | 'time'>;

/** A page of entries, newest first. */
export interface AuditPage {
  readonly entries: AuditEntry[];
  readonly nextPageToken?: string;
}

/** The outcome of `verify`: how many entries are sound, and the first problem if any. */
export interface AuditVerification {
  readonly verified: number;
  readonly problem: ChainProblem | undefined;
}

const MAX_PAGE = 1000;
const WALK_BATCH = 500;

function pageToken(seq: number): string {
  return Buffer.from(JSON.stringify({ before: seq })).toString('base64url');
}

function beforeSeqOf(token: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { before?: unknown };
    if (typeof parsed.before === 'number' && Number.isSafeInteger(parsed.before)) return parsed.before;
  } catch {
    // fall through to the error below
  }
  throw invalid(`Invalid page_token '${token}'`);
}

/** The audit log of one database. */
export class AuditLog {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = nowMs,
  ) {}

  /**
   * Append one entry. Inside a unit of work it joins that transaction (the change and its entry
   * commit together); outside one it commits on its own.
   */
  append(record: AuditRecord): Promise<AuditEntry> {
    return runInUnitOfWork(this.db, async () => {
      await lockAuditChain(this.db);
      const head = await selectChainHead(this.db.kysely);
      const fields: AuditFields = { ...record, seq: (head?.lastSeq ?? 0) + 1, time: this.now() };
      const entry: AuditEntry = { ...fields, hash: chainHash(head?.lastHash ?? GENESIS_HASH, fields) };
      await insertAuditEntry(this.db.kysely, entry);
      return entry;
    });
  }

  /**
   * Make a change and append its entry in one transaction: a failing change leaves no entry, and
   * a failing append undoes the change. `change` may use any service on this database.
   */
  changeWithEntry<T>(change: () => Promise<T>, entryFor: (result: T) => AuditRecord): Promise<T> {
    return runInUnitOfWork(this.db, async () => {
      const result = await change();
      await this.append(entryFor(result));
      return result;
    });
  }

  /** Entries matching `filter`, newest first, a page at a time. */
  async list(filter: AuditFilter, maxResults = 100, pageTokenText?: string): Promise<AuditPage> {
    if (!Number.isSafeInteger(maxResults) || maxResults < 1 || maxResults > MAX_PAGE) {
      throw invalid(`max_results must be between 1 and ${MAX_PAGE}, got ${maxResults}`);
    }
    const before = pageTokenText ? beforeSeqOf(pageTokenText) : undefined;
    const rows = await selectAuditEntries(this.db.kysely, filter, maxResults + 1, { before });
    const entries = rows.slice(0, maxResults);
    const last = entries[entries.length - 1];
    return rows.length > maxResults && last ? { entries, nextPageToken: pageToken(last.seq) } : { entries };
  }

  /** Every entry matching `filter`, oldest first, read a batch at a time (for JSON-lines export). */
  async *entries(filter: AuditFilter = {}, afterSeq = 0): AsyncGenerator<AuditEntry> {
    let after = afterSeq;
    for (;;) {
      const batch = await selectAuditEntries(this.db.kysely, filter, WALK_BATCH, { after });
      for (const entry of batch) yield entry;
      const last = batch[batch.length - 1];
      if (!last || batch.length < WALK_BATCH) return;
      after = last.seq;
    }
  }

  /** Walk the whole chain and report the first entry that was edited, deleted or reordered. */
  async verify(): Promise<AuditVerification> {
    const walk = new ChainWalk();
    let seen = 0;
    for (;;) {
      let sound = true;
      for await (const entry of this.entries({}, seen)) {
        sound = walk.next(entry);
        if (!sound) break;
        seen = entry.seq;
      }
      // Each append moves the head in its own transaction, so a head ahead of the walk is either
      // appends that committed while we read (walk on) or deleted entries (nothing more to read).
      const head = await selectChainHead(this.db.kysely);
      const moreCommitted = sound && head !== undefined && head.lastSeq > seen && (await selectAuditEntries(this.db.kysely, {}, 1, { after: seen })).length > 0;
      if (!moreCommitted) return walk.finish(head);
    }
  }
}

/** The actor of changes made by CLI commands that bypass the server: `cli:<os user>`. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    // A uid with no passwd entry (some containers) has no name.
    return `cli:uid-${process.getuid?.() ?? 'unknown'}`;
  }
}

/** An entry for a CLI command that changes the database directly (`cairn users create`, ...). */
export function cliRecord(command: string, resourceKind: string, resourceId: string, summary: Readonly<Record<string, unknown>> = {}): AuditRecord {
  return {
    actor: cliActor(),
    authMethod: 'cli',
    action: `CLI cairn ${command}`,
    verb: `${command.split(' ').slice(1).join(' ') || command} ${resourceKind}`,
    resourceKind,
    resourceId,
    clientAddress: 'local',
    requestId: '',
    summary: summarizeChange(summary),
  };
}
