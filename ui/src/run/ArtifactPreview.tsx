import { useQuery } from '@tanstack/react-query';
import { artifactDownloadUrl, readArtifactText } from '../api/artifacts.js';
import { ErrorNotice, Loading } from '../components.js';
import { formatBytes } from '../format.js';

const IMAGE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'bmp']);
const TEXT_EXTENSIONS = new Set([
  'txt', 'log', 'md', 'json', 'yaml', 'yml', 'csv', 'tsv', 'py', 'ts', 'js', 'sh', 'toml', 'ini', 'cfg',
  'html', 'xml', 'sql', 'r', 'ipynb', 'jsonl', 'conf', 'properties',
]);
// Files MLflow writes without an extension that are plain text.
const TEXT_FILE_NAMES = new Set(['MLmodel', 'requirements.txt', 'conda.yaml', 'python_env.yaml', 'Dockerfile', 'LICENSE']);
const MAX_PREVIEW_BYTES = 2 * 1024 * 1024;

/** How a file is previewed, decided by its name. */
export function previewKind(fileName: string): 'image' | 'json' | 'text' | 'none' {
  const extension = fileName.includes('.') ? (fileName.split('.').pop() ?? '').toLowerCase() : '';
  if (IMAGE_EXTENSIONS.has(extension)) return 'image';
  if (extension === 'json' || extension === 'ipynb') return 'json';
  if (TEXT_EXTENSIONS.has(extension) || TEXT_FILE_NAMES.has(fileName)) return 'text';
  return 'none';
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function TextPreview({ fullPath, asJson }: { fullPath: string; asJson: boolean }) {
  const content = useQuery({ queryKey: ['artifact-text', fullPath], queryFn: () => readArtifactText(fullPath) });
  if (content.error) return <ErrorNotice error={content.error} title="Could not read the file" />;
  if (content.data === undefined) return <Loading />;
  return (
    <pre className="artifact-text" data-testid="artifact-text">
      {asJson ? prettyJson(content.data) : content.data}
    </pre>
  );
}

/** The right-hand pane of the artifact browser: file facts, download link, and a preview. */
export function ArtifactPreview({ fullPath, name, size }: { fullPath: string; name: string; size: number | undefined }) {
  const kind = previewKind(name);
  const url = artifactDownloadUrl(fullPath);
  const tooBig = size !== undefined && size > MAX_PREVIEW_BYTES;
  return (
    <div className="artifact-preview">
      <div className="artifact-preview-head">
        <strong className="mono">{name}</strong>
        <span className="muted">{formatBytes(size)}</span>
        <a href={url} download={name}>
          Download
        </a>
      </div>
      {kind === 'image' ? <img src={url} alt={name} className="artifact-image" /> : null}
      {(kind === 'text' || kind === 'json') && !tooBig ? <TextPreview fullPath={fullPath} asJson={kind === 'json'} /> : null}
      {(kind === 'text' || kind === 'json') && tooBig ? (
        <p className="muted">This file is larger than {formatBytes(MAX_PREVIEW_BYTES)}; download it to read it.</p>
      ) : null}
      {kind === 'none' ? <p className="muted">No preview for this file type.</p> : null}
    </div>
  );
}
