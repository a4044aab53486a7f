/** The parts of a model card cairn fills in, shown beside the authors' text and never editable. */
import type { ReactNode } from 'react';
import { formatMetric, formatTime } from '../format.js';
import { Link } from '../router.js';
import type { CardFacts, CardSection, MetricValue } from './ModelCardApi.js';

function MetricTable({ metrics }: { metrics: MetricValue[] }) {
  if (metrics.length === 0) return <p className="muted">No metrics logged.</p>;
  return (
    <table className="grid card-metrics">
      <tbody>
        {[...metrics].sort((a, b) => a.key.localeCompare(b.key)).map((m) => (
          <tr key={m.key}>
            <td>{m.key}</td>
            <td className="num">{formatMetric(m.value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TrainingData({ facts }: { facts: CardFacts }) {
  if (facts.training_data.length === 0) return <p className="muted">No dataset versions recorded upstream in the lineage graph.</p>;
  return (
    <ul className="card-datasets">
      {facts.training_data.map((d) => (
        <li key={`${d.name}@${d.digest}`}>
          <Link to={d.version === null ? `/datasets/${encodeURIComponent(d.name)}` : `/datasets/${encodeURIComponent(d.name)}/versions/${d.version}`}>
            {d.name}
            {d.version === null ? '' : ` v${d.version}`}
          </Link>{' '}
          <span className="mono muted" title={d.digest}>{d.digest.slice(0, 12)}</span>
          {d.source ? <div className="muted card-source">{d.source}</div> : null}
        </li>
      ))}
    </ul>
  );
}

function Evaluation({ facts }: { facts: CardFacts }) {
  const run = facts.training_run;
  return (
    <>
      {run ? (
        <>
          <p>
            Run <Link to={`/runs/${encodeURIComponent(run.run_id)}`} className="mono">{run.run_name || run.run_id.slice(0, 12)}</Link>
          </p>
          <MetricTable metrics={run.metrics} />
        </>
      ) : (
        <p className="muted">No run is recorded for this version.</p>
      )}
      {facts.gate_evaluations.map((g) => (
        <div key={g.run_id} className="card-gate">
          <p>
            Gate <Link to={`/runs/${encodeURIComponent(g.run_id)}`}>{g.passed ? 'passed' : 'failed'}</Link>
            {g.champion_version ? ` against version ${g.champion_version}` : ''} · {formatTime(g.start_time)}
          </p>
          <MetricTable metrics={g.metrics} />
        </div>
      ))}
    </>
  );
}

function Owners({ facts }: { facts: CardFacts }) {
  if (facts.owners.length === 0) return <p className="muted">No creator or manager on record.</p>;
  return (
    <ul>
      {facts.owners.map((o) => (
        <li key={`${o.user}/${o.role}`}>
          {o.user} <span className="muted">({o.role})</span>
        </li>
      ))}
    </ul>
  );
}

/** The generated part shown beside a section, for the sections cairn knows something about. */
export function recordedFor(section: CardSection, facts: CardFacts): ReactNode {
  switch (section) {
    case 'training_data':
      return <TrainingData facts={facts} />;
    case 'evaluation':
      return <Evaluation facts={facts} />;
    case 'owners':
      return <Owners facts={facts} />;
    default:
      return null;
  }
}

/** Version, aliases, deployments and signature: the card's "model details". */
export function ModelDetails({ facts }: { facts: CardFacts }) {
  const serving = facts.deployments.filter((d) => d.serves_version);
  const fields = [...(facts.signature?.inputs.map((f) => ({ side: 'input', ...f })) ?? []), ...(facts.signature?.outputs.map((f) => ({ side: 'output', ...f })) ?? [])];
  return (
    <div className="card-details">
      <dl>
        <dt>Describes</dt>
        <dd className="card-described">{facts.model_version === null ? 'no version yet' : `version ${facts.model_version}`}</dd>
        <dt>Aliases</dt>
        <dd>{facts.aliases.length === 0 ? <span className="muted">none</span> : facts.aliases.map((a) => <span key={a.alias} className="chip">@{a.alias} → v{a.version}</span>)}</dd>
        <dt>Serving this version</dt>
        <dd className="card-deployments">
          {serving.length === 0 ? <span className="muted">no deployment</span> : serving.map((d) => <Link key={d.name} to={`/deployments/${encodeURIComponent(d.name)}`} className="chip">{d.name} ({d.status})</Link>)}
        </dd>
      </dl>
      {fields.length > 0 ? (
        <table className="grid card-signature">
          <thead>
            <tr>
              <th>Signature</th>
              <th>Name</th>
              <th>Type</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((f, i) => (
              <tr key={i}>
                <td>{f.side}</td>
                <td>{f.name ?? '—'}</td>
                <td className="mono">{f.type}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
