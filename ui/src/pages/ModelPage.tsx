import { useQuery } from '@tanstack/react-query';
import { getRegisteredModel, searchModelVersions } from '../api/registry.js';
import type { ModelVersion, RegisteredModel } from '../api/types.js';
import { ErrorNotice, KeyValueTable, Loading, StatusBadge } from '../components.js';
import { formatTime } from '../format.js';
import { Link } from '../router.js';
import { AliasChips } from './ModelsPage.js';
import { ModelCardSection } from '../models/ModelCard.js';

/** A version's aliases, from the version itself or else from the model's alias list. */
function versionAliases(version: ModelVersion, model: RegisteredModel): string[] {
  if (version.aliases && version.aliases.length > 0) return version.aliases;
  return (model.aliases ?? []).filter((alias) => alias.version === version.version).map((alias) => alias.alias);
}

function VersionsTable({ versions, model }: { versions: ModelVersion[]; model: RegisteredModel }) {
  if (versions.length === 0) return <p className="muted">No versions registered.</p>;
  return (
    <table className="grid versions">
      <thead>
        <tr>
          <th>Version</th>
          <th>Stage</th>
          <th>Aliases</th>
          <th>Status</th>
          <th>Source run</th>
          <th>Created</th>
        </tr>
      </thead>
      <tbody>
        {versions.map((version) => (
          <tr key={version.version}>
            <td>Version {version.version}</td>
            <td>{version.current_stage ?? 'None'}</td>
            <td>
              {versionAliases(version, model).map((alias) => (
                <span key={alias} className="chip">
                  @{alias}
                </span>
              ))}
            </td>
            <td>
              <StatusBadge status={version.status} />
            </td>
            <td>
              {version.run_id ? (
                <Link to={`/runs/${encodeURIComponent(version.run_id)}`} className="mono">
                  {version.run_id.slice(0, 12)}
                </Link>
              ) : (
                <span className="muted mono" title={version.source}>
                  {version.source ?? '—'}
                </span>
              )}
            </td>
            <td>{formatTime(version.creation_timestamp)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One registered model: description, aliases, tags and all of its versions. */
export function ModelPage({ name }: { name: string }) {
  const model = useQuery({ queryKey: ['registered-model', name], queryFn: () => getRegisteredModel(name) });
  const versions = useQuery({ queryKey: ['model-versions', name], queryFn: () => searchModelVersions(name) });
  const crumbs = (
    <div className="breadcrumbs">
      <Link to="/models">Models</Link> / <span>{name}</span>
    </div>
  );
  if (model.error) return <div className="page">{crumbs}<ErrorNotice error={model.error} title="Could not load the model" /></div>;
  if (!model.data) return <div className="page">{crumbs}<Loading /></div>;
  return (
    <div className="page model-page">
      {crumbs}
      <div className="page-head">
        <h1>{model.data.name}</h1>
        <AliasChips aliases={model.data.aliases} />
      </div>
      <p className="muted">
        Created {formatTime(model.data.creation_timestamp)} · last modified {formatTime(model.data.last_updated_timestamp)}
      </p>
      <section>
        <h2>Description</h2>
        {model.data.description ? <p className="description">{model.data.description}</p> : <p className="muted">No description.</p>}
      </section>
      <section>
        <h2>Versions</h2>
        {versions.error ? <ErrorNotice error={versions.error} title="Could not load versions" /> : null}
        {versions.data ? <VersionsTable versions={versions.data} model={model.data} /> : versions.isPending ? <Loading /> : null}
      </section>
      <section>
        <h2>Tags</h2>
        <KeyValueTable rows={model.data.tags ?? []} empty="No tags." />
      </section>
      <ModelCardSection name={model.data.name} versions={(versions.data ?? []).map((v) => String(v.version))} />
    </div>
  );
}
