import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { artifactRootPath, joinArtifactPath, listArtifacts } from '../api/artifacts.js';
import type { ArtifactFile } from '../api/types.js';
import { ErrorNotice, Loading } from '../components.js';
import { formatBytes } from '../format.js';
import { ArtifactPreview } from './ArtifactPreview.js';

interface SelectedFile {
  fullPath: string;
  name: string;
  size: number | undefined;
}

interface DirectoryProps {
  fullPath: string;
  depth: number;
  selectedPath: string | undefined;
  onSelect: (file: SelectedFile) => void;
}

/** One folder's entries; sub-folders load only when opened. */
function ArtifactDirectory({ fullPath, depth, selectedPath, onSelect }: DirectoryProps) {
  const listing = useQuery({ queryKey: ['artifacts', fullPath], queryFn: () => listArtifacts(fullPath) });
  if (listing.error) return <ErrorNotice error={listing.error} title="Could not list artifacts" />;
  if (!listing.data) return <Loading />;
  if (listing.data.length === 0 && depth === 0) return <p className="muted">No artifacts.</p>;
  return (
    <ul className="artifact-tree">
      {listing.data.map((entry) => (
        <ArtifactEntry
          key={entry.path}
          entry={entry}
          parentPath={fullPath}
          depth={depth}
          selectedPath={selectedPath}
          onSelect={onSelect}
        />
      ))}
    </ul>
  );
}

function ArtifactEntry({
  entry,
  parentPath,
  depth,
  selectedPath,
  onSelect,
}: { entry: ArtifactFile; parentPath: string } & Omit<DirectoryProps, 'fullPath'>) {
  const [open, setOpen] = useState(false);
  // Listings name entries by basename; tolerate servers that send a path relative to the root.
  const name = entry.path.split('/').pop() ?? entry.path;
  const fullPath = joinArtifactPath(parentPath, name);
  if (entry.is_dir) {
    return (
      <li>
        <button type="button" className="tree-item dir" onClick={() => setOpen(!open)} aria-expanded={open}>
          {open ? '▾' : '▸'} {name}/
        </button>
        {open ? (
          <ArtifactDirectory fullPath={fullPath} depth={depth + 1} selectedPath={selectedPath} onSelect={onSelect} />
        ) : null}
      </li>
    );
  }
  return (
    <li>
      <button
        type="button"
        className={`tree-item file${selectedPath === fullPath ? ' selected' : ''}`}
        onClick={() => onSelect({ fullPath, name, size: entry.file_size })}
      >
        {name} <span className="muted">{formatBytes(entry.file_size)}</span>
      </button>
    </li>
  );
}

/** Browses a run's artifacts: a lazily loaded tree on the left, the chosen file on the right. */
export function ArtifactBrowser({ artifactUri }: { artifactUri: string | undefined }) {
  const [selected, setSelected] = useState<SelectedFile | undefined>(undefined);
  const rootPath = artifactUri ? artifactRootPath(artifactUri) : undefined;
  if (rootPath === undefined) {
    return <p className="muted">Artifacts live outside this server ({artifactUri ?? 'no artifact location'}).</p>;
  }
  return (
    <div className="artifact-browser">
      <div className="artifact-tree-pane">
        <ArtifactDirectory fullPath={rootPath} depth={0} selectedPath={selected?.fullPath} onSelect={setSelected} />
      </div>
      <div className="artifact-preview-pane">
        {selected ? (
          <ArtifactPreview key={selected.fullPath} fullPath={selected.fullPath} name={selected.name} size={selected.size} />
        ) : (
          <p className="muted">Select a file to preview it.</p>
        )}
      </div>
    </div>
  );
}
