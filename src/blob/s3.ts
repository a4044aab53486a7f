/**
 * Artifact bytes in an S3 (or S3-compatible) bucket under a prefix. Uploads stream through
 * multipart upload, so memory stays at a few parts whatever the file size, and the object
 * only appears when the upload completes: a reader never sees half a file.
 */
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable, Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import type { ArtifactsDestination } from '../core/config.js';
import { invalid } from '../core/errors.js';
import { assertCanonicalKey } from '../core/paths.js';
import type { BlobEntry, BlobRead, BlobStore } from './types.js';

type S3Destination = Extract<ArtifactsDestination, { kind: 's3' }>;

// 8 MiB parts, two in flight: about 16 MiB per upload in memory, 80 GB files within 10,000 parts.
const PART_SIZE = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;
// DeleteObjects takes at most 1,000 keys per call.
const DELETE_BATCH = 1000;

/** True for the SDK's "no such object" errors (GetObject says NoSuchKey, HeadObject only 404). */
function isNotFound(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const name = 'name' in error ? String(error.name) : '';
  const status = '$metadata' in error ? (error.$metadata as { httpStatusCode?: number } | undefined)?.httpStatusCode : undefined;
  return name === 'NoSuchKey' || name === 'NotFound' || status === 404;
}

/** Passes bytes through, counting them, and fails at the end if the count is not the promised one. */
class ByteCounter extends Transform {
  bytes = 0;

  constructor(private readonly expected: number | undefined, private readonly key: string) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    // Failing here, before the stream ends, makes Upload abort instead of completing the object.
    if (this.expected !== undefined && this.bytes !== this.expected) {
      callback(invalid(`Upload of '${this.key}' ended after ${this.bytes} of ${this.expected} bytes`));
    } else callback();
  }
}

/** The S3 client settings for a destination, for the store and for tests that prepare a bucket. */
export function s3ClientConfig(dest: S3Destination): S3ClientConfig {
  return {
    region: dest.region,
    forcePathStyle: dest.forcePathStyle,
    ...(dest.endpoint === undefined ? {} : { endpoint: dest.endpoint }),
    // A copy: the SDK writes bookkeeping onto the credentials object, and config objects are frozen.
    ...(dest.credentials === undefined ? {} : { credentials: { ...dest.credentials } }),
    // Many S3-compatible stores reject the newer default CRC checksums; send them only when required.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

/** A BlobStore over an S3 bucket and prefix. */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3';
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(dest: S3Destination) {
    this.client = new S3Client(s3ClientConfig(dest));
    this.bucket = dest.bucket;
    this.prefix = dest.prefix.replace(/^\/+|\/+$/g, '');
  }

  /** The object key of a store key: `prefix/key`, or `prefix` itself for the root. */
  private objectKey(key: string): string {
    assertCanonicalKey(key);
    if (this.prefix === '') return key;
    return key === '' ? this.prefix : `${this.prefix}/${key}`;
  }

  /** The object-key prefix that everything inside a folder key starts with. */
  private folderPrefix(key: string): string {
    const objectKey = this.objectKey(key);
    return objectKey === '' ? '' : `${objectKey}/`;
  }

  async put(key: string, body: Readable, options?: { contentLength?: number }): Promise<{ size: number }> {
    if (key === '') throw invalid('Cannot write a file at the artifact root; give a file name');
    const objectKey = this.objectKey(key);
    const counter = new ByteCounter(options?.contentLength, key);
    // A body error must reach the counter, or Upload would wait forever for more bytes.
    body.once('error', (error) => counter.destroy(error));
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: objectKey, Body: body.pipe(counter) },
      partSize: PART_SIZE,
      queueSize: PARTS_IN_FLIGHT,
    });
    await upload.done();
    return { size: counter.bytes };
  }

  async get(key: string): Promise<BlobRead | undefined> {
    if (key === '') return undefined;
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      if (!(response.Body instanceof Readable)) throw new Error(`S3 GetObject for '${key}' returned no stream body`);
      return { stream: response.Body, size: response.ContentLength ?? 0 };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<BlobEntry[]> {
    const folder = this.folderPrefix(prefix);
    const entries: BlobEntry[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: folder, Delimiter: '/', ContinuationToken: token }),
      );
      for (const common of page.CommonPrefixes ?? []) {
        const name = common.Prefix?.slice(folder.length, -1);
        if (name) entries.push({ name, isDir: true });
      }
      for (const object of page.Contents ?? []) {
        const name = object.Key?.slice(folder.length);
        // An empty name is a "folder marker" object some tools create for the folder itself.
        if (name) entries.push({ name, isDir: false, size: object.Size ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    if (key === '') throw invalid('Refusing to delete the whole artifact root');
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
    const folder = this.folderPrefix(key);
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: folder, ContinuationToken: token, MaxKeys: DELETE_BATCH }),
      );
      const keys = (page.Contents ?? []).flatMap((object) => (object.Key === undefined ? [] : [{ Key: object.Key }]));
      if (keys.length > 0) {
        const result = await this.client.send(
          new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys, Quiet: true } }),
        );
        const failed = result.Errors?.[0];
        if (failed) {
          throw new Error(`S3 refused to delete ${result.Errors?.length} object(s) under '${key}', e.g. '${failed.Key}': ${failed.Code} ${failed.Message}`);
        }
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  async stat(key: string): Promise<{ isDir: boolean; size?: number } | undefined> {
    if (key === '') return { isDir: true };
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return { isDir: false, size: head.ContentLength ?? 0 };
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    const page = await this.client.send(
      new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.folderPrefix(key), MaxKeys: 1 }),
    );
    return (page.KeyCount ?? page.Contents?.length ?? 0) > 0 ? { isDir: true } : undefined;
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
