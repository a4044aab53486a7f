/**
 * The audit log's hash chain. Each entry's hash is sha256 over the previous entry's hash and a
 * canonical encoding of this entry's fields (sequence number and time included), so editing,
 * deleting or reordering any entry changes every hash after it.
 */
import { createHash } from 'node:crypto';

/** The fields of one audit entry, as stored (the hash aside). */
export interface AuditFields {
  readonly seq: number;
  /** Epoch milliseconds. */
  readonly time: number;
  /** User name, 'anonymous', 'bootstrap' or 'cli:<os user>'. */
  readonly actor: string;
  /** How the actor proved who they are: password, token, session, bootstrap, none or cli. */
  readonly authMethod: string;
  /** The operation, e.g. 'POST /api/2.0/mlflow/runs/create'. */
  readonly action: string;
  /** A short name for it, e.g. 'create run'. */
  readonly verb: string;
  readonly resourceKind: string;
  readonly resourceId: string;
  readonly clientAddress: string;
  readonly requestId: string;
  /** The change, as JSON with secrets removed. */
  readonly summary: string;
}

/** A stored entry: its fields and the hash that chains it to the one before. */
export interface AuditEntry extends AuditFields {
  readonly hash: string;
}

/** The "previous hash" of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** A fixed field order, so the same entry always encodes to the same bytes. */
function canonicalEncoding(fields: AuditFields): string {
  return JSON.stringify([
    fields.seq,
    fields.time,
    fields.actor,
    fields.authMethod,
    fields.action,
    fields.verb,
    fields.resourceKind,
    fields.resourceId,
    fields.clientAddress,
    fields.requestId,
    fields.summary,
  ]);
}

/** The hash of an entry that follows an entry with hash `previousHash`. */
export function chainHash(previousHash: string, fields: AuditFields): string {
  return createHash('sha256').update(previousHash).update('\n').update(canonicalEncoding(fields)).digest('hex');
}

/** What a walk of the chain found. */
export type ChainProblem =
  | { readonly kind: 'edited'; readonly seq: number; readonly message: string }
  | { readonly kind: 'gap'; readonly seq: number; readonly message: string }
  | { readonly kind: 'head'; readonly seq: number; readonly message: string };

/** The chain head as stored: the newest sequence number and its hash. */
export interface ChainHead {
  readonly lastSeq: number;
  readonly lastHash: string;
}

/**
 * Walks entries in storage order (by seq) and reports the first problem: an entry whose hash does
 * not follow (edited or reordered), a sequence gap (deleted), or a head that names more or other
 * entries than remain (the newest deleted).
 */
export class ChainWalk {
  private expectedSeq = 1;
  private previousHash = GENESIS_HASH;
  private problem: ChainProblem | undefined;

  /** Check the next entry; false once a problem was found (the walk can stop). */
  next(entry: AuditEntry): boolean {
    if (this.problem) return false;
    if (entry.seq !== this.expectedSeq) {
      this.problem =
        entry.seq > this.expectedSeq
          ? { kind: 'gap', seq: this.expectedSeq, message: `entries ${describeRange(this.expectedSeq, entry.seq - 1)} are missing (deleted): the chain jumps from seq ${this.expectedSeq - 1} to seq ${entry.seq}` }
          : { kind: 'edited', seq: entry.seq, message: `entry seq ${entry.seq} is out of order (expected seq ${this.expectedSeq})` };
      return false;
    }
    if (chainHash(this.previousHash, entry) !== entry.hash) {
      this.problem = { kind: 'edited', seq: entry.seq, message: `entry seq ${entry.seq} was edited or reordered: its hash does not match its contents and the entry before it` };
      return false;
    }
    this.previousHash = entry.hash;
    this.expectedSeq += 1;
    return true;
  }

  /** The outcome once every entry was seen: the first problem, or the number verified. */
  finish(head: ChainHead | undefined): { problem: ChainProblem | undefined; verified: number } {
    const verified = this.expectedSeq - 1;
    if (this.problem) return { problem: this.problem, verified };
    const lastSeq = head?.lastSeq ?? 0;
    const lastHash = head?.lastHash ?? GENESIS_HASH;
    if (lastSeq > verified) {
      this.problem = { kind: 'gap', seq: verified + 1, message: `entries ${describeRange(verified + 1, lastSeq)} are missing (deleted): the chain head records seq ${lastSeq} but the log ends at seq ${verified}` };
    } else if (lastSeq < verified) {
      this.problem = { kind: 'head', seq: lastSeq + 1, message: `entry seq ${lastSeq + 1} is not recorded in the chain head (head says seq ${lastSeq}): entries were added outside cairn or the head was edited` };
    } else if (lastHash !== this.previousHash) {
      this.problem = { kind: 'head', seq: lastSeq, message: `the chain head's hash does not match entry seq ${lastSeq}: the head or that entry was replaced` };
    }
    return { problem: this.problem, verified };
  }
}

function describeRange(from: number, to: number): string {
  return from === to ? `seq ${from}` : `seq ${from} to ${to}`;
}
