/**
 * A remote in an S3 bucket (or any S3-compatible store), configured as DVC configures it:
 * `url = s3://bucket/prefix` plus `endpointurl`, `access_key_id`, `secret_access_key`, `region`.
 * PutObject and multipart uploads only make an object visible once complete, so an interrupted
 * push never leaves half an object.
 */
import { DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { invalid } from '../../core/errors.js';
import { objectKey, oidFromKey, type DataRemote } from './types.js';

/** S3 settings read from a DVC remote section. */
export interface S3RemoteOptions {
  readonly bucket: string;
  readonly prefix: string;
  readonly endpoint: string | undefined;
  readonly region: string | undefined;
  readonly accessKeyId: string | undefined;
  readonly secretAccessKey: string | undefined;
}

const MULTIPART_ABOVE = 64 * 1024 * 1024;
const HEAD_CONCURRENCY = 32;

/** Read the S3 options of a DVC remote section. */
export function s3Options(url: string, options: ReadonlyMap<string, string>): S3RemoteOptions {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m?.[1]) throw invalid(`'${url}' is not an S3 URL (expected s3://bucket/prefix)`);
  return {
    bucket: m[1],
    prefix: (m[2] ?? '').replace(/\/+$/, ''),
    endpoint: options.get('endpointurl'),
    region: options.get('region'),
    accessKeyId: options.get('access_key_id'),
    secretAccessKey: options.get('secret_access_key'),
  };
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}

/** Open an S3 remote. Credentials not in the config come from the AWS SDK's usual chain. */
export function s3Remote(name: string, url: string, o: S3RemoteOptions): DataRemote {
  const client = new S3Client({
    region: o.region ?? 'us-east-1',
    ...(o.endpoint === undefined ? {} : { endpoint: o.endpoint, forcePathStyle: true }),
    ...(o.accessKeyId !== undefined && o.secretAccessKey !== undefined ? { credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey } } : {}),
    // Many S3-compatible stores reject the SDK's newer default checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const keyOf = (oid: string): string => (o.prefix === '' ? objectKey(oid) : `${o.prefix}/${objectKey(oid)}`);
  const filesPrefix = o.prefix === '' ? 'files/md5/' : `${o.prefix}/files/md5/`;
  const exists = async (oid: string): Promise<boolean> => {
    try {
      await client.send(new HeadObjectCommand({ Bucket: o.bucket, Key: keyOf(oid) }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  };
  return {
    name,
    url,
    capabilities: { localFiles: false, existsIsRemoteCall: true },
    async has(oids) {
      const found = new Set<string>();
      for (let i = 0; i < oids.length; i += HEAD_CONCURRENCY) {
        const chunk = oids.slice(i, i + HEAD_CONCURRENCY);
        const flags = await Promise.all(chunk.map(exists));
        chunk.forEach((oid, j) => flags[j] && found.add(oid));
      }
      return found;
    },
    async list() {
      const found = new Set<string>();
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: o.bucket, Prefix: filesPrefix, ContinuationToken: token }));
        for (const item of page.Contents ?? []) {
          const oid = item.Key === undefined ? undefined : oidFromKey(item.Key);
          if (oid !== undefined) found.add(oid);
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      return found;
    },
    async upload(oid, file, size) {
      const key = keyOf(oid);
      if (size <= MULTIPART_ABOVE) {
        await client.send(new PutObjectCommand({ Bucket: o.bucket, Key: key, Body: createReadStream(file), ContentLength: size }));
        return;
      }
      await new Upload({ client, params: { Bucket: o.bucket, Key: key, Body: createReadStream(file) }, partSize: 16 * 1024 * 1024, queueSize: 2 }).done();
    },
    async download(oid, dst) {
      const response = await client.send(new GetObjectCommand({ Bucket: o.bucket, Key: keyOf(oid) }));
      await pipeline(response.Body as Readable, createWriteStream(dst, { flags: 'wx' }));
    },
    localPath() {
      throw new Error('an S3 remote has no local files');
    },
    async remove(oids) {
      for (let i = 0; i < oids.length; i += 1000) {
        const chunk = oids.slice(i, i + 1000);
        await client.send(new DeleteObjectsCommand({ Bucket: o.bucket, Delete: { Objects: chunk.map((oid) => ({ Key: keyOf(oid) })), Quiet: true } }));
      }
    },
    async close() {
      client.destroy();
    },
  };
}
