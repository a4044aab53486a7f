import { ARTIFACTS_API, getRaw, toQueryString } from './client.js';
import type { ArtifactFile } from './types.js';

/**
 * Turns a run's `mlflow-artifacts:/<exp>/<run>/artifacts` URI into the path the artifact
 * proxy takes (`<exp>/<run>/artifacts`). A netloc form (`mlflow-artifacts://host/...`) names
 * another server; the UI only browses its own, so the host is dropped.
 */
export function artifactRootPath(artifactUri: string): string | undefined {
  const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/.exec(artifactUri);
  if (!match) return undefined;
  return (match[1] ?? '').replace(/\/+$/, '');
}

/** Joins path segments with single slashes, skipping empty ones. */
export function joinArtifactPath(...parts: string[]): string {
  return parts.filter((part) => part !== '').join('/');
}

/** URL that downloads one artifact file's raw bytes. */
export function artifactDownloadUrl(fullPath: string): string {
  return `${ARTIFACTS_API}/${fullPath.split('/').map(encodeURIComponent).join('/')}`;
}

/** Lists one artifact directory; entries are basenames, sorted with folders first. */
export async function listArtifacts(fullPath: string): Promise<ArtifactFile[]> {
  const response = await getRaw(`${ARTIFACTS_API}${toQueryString({ path: fullPath })}`);
  const body = (await response.json()) as { files?: ArtifactFile[] };
  const files = body.files ?? [];
  return files.sort((a, b) => Number(Boolean(b.is_dir)) - Number(Boolean(a.is_dir)) || a.path.localeCompare(b.path));
}

/** Downloads an artifact as text. */
export async function readArtifactText(fullPath: string): Promise<string> {
  const response = await getRaw(artifactDownloadUrl(fullPath));
  return response.text();
}
