import { useQuery } from '@tanstack/react-query';
import { searchRegisteredModels } from '../api/registry.js';
import type { RegisteredModel } from '../api/types.js';
import { LinkedRow, QueryState } from '../components.js';
import { formatTime } from '../format.js';

/** The highest version number among a model's latest-per-stage versions. */
export function latestVersion(model: RegisteredModel): string | undefined {
  const versions = (model.latest_versions ?? []).map((version) => Number(version.version)).filter(Number.isFinite);
  return versions.length > 0 ? String(Math.max(...versions)) : undefined;
}

/** Aliases rendered as `@alias → v3` chips. */
export function AliasChips({ aliases }: { aliases: { alias: string; version: string }[] | undefined }) {
  if (!aliases || aliases.length === 0) return <span className="muted">—</span>;
  return (
    <>
      {aliases.map((alias) => (
        <span key={alias.alias} className="chip">
          @{alias.alias} → v{alias.version}
        </span>
      ))}
    </>
  );
}

/** The list of registered models. */
export function ModelsPage() {
  const models = useQuery({ queryKey: ['registered-models'], queryFn: searchRegisteredModels });
  return (
    <div className="page">
      <div className="page-head">
        <h1>Registered models</h1>
      </div>
      <QueryState query={models} what="models" />
      {models.data ? (
        <table className="grid models">
          <thead>
            <tr>
              <th>Name</th>
              <th>Latest version</th>
              <th>Aliases</th>
              <th>Last modified</th>
            </tr>
          </thead>
          <tbody>
            {models.data.map((model) => {
              const href = `/models/${encodeURIComponent(model.name)}`;
              const latest = latestVersion(model);
              return (
                <LinkedRow key={model.name} href={href} name={model.name}>
                  <td>{latest ? `Version ${latest}` : <span className="muted">—</span>}</td>
                  <td>
                    <AliasChips aliases={model.aliases} />
                  </td>
                  <td>{formatTime(model.last_updated_timestamp)}</td>
                </LinkedRow>
              );
            })}
            {models.data.length === 0 ? (
              <tr>
                <td colSpan={4} className="muted">
                  No registered models yet.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
