/**
 * Per-caller rate limits: a token bucket per API token or user, refilled continuously.
 * The buckets live in this process's memory, so with N replicas behind a load balancer each
 * replica keeps its own bucket and a caller may get up to N times the limit; that bounds abuse
 * well enough without a shared store on every request.
 */
import { RetryLaterError } from './lockout.js';

const MAX_BUCKETS = 10_000;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** A token bucket per key: `perMinute` requests a minute, in bursts of up to `perMinute`. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number,
  ) {
    this.perMs = perMinute / 60_000;
  }

  /** Take one request from the key's bucket, or throw a 429 that says when the next one is allowed. */
  take(key: string): void {
    const now = this.now();
    const bucket = this.refilled(key, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return;
    }
    const seconds = Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000));
    throw new RetryLaterError('REQUEST_LIMIT_EXCEEDED', `Rate limit exceeded: at most ${this.perMinute} requests a minute per caller; retry in ${seconds} s`, seconds);
  }

  private refilled(key: string, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= MAX_BUCKETS) this.dropFullBuckets(now);
      bucket = { tokens: this.perMinute, updatedAt: now };
      this.buckets.set(key, bucket);
      return bucket;
    }
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.updatedAt) * this.perMs);
    bucket.updatedAt = now;
    return bucket;
  }

  // A full bucket is the same as no bucket, so forgetting it changes nothing.
  private dropFullBuckets(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * this.perMs >= this.perMinute) this.buckets.delete(key);
    }
    if (this.buckets.size >= MAX_BUCKETS) this.buckets.clear();
  }
}
