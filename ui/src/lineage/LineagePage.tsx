import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ErrorNotice, Loading } from '../components.js';
import { formatTime } from '../format.js';
import { Link, navigate } from '../router.js';
import { getGraph, getImpact, pageOf, recentNodes, typeLabel, type Direction } from './api.js';
import { LineageCanvas } from './LineageCanvas.js';
import './lineage.css';

const hrefFor = (node: string, direction: Direction, depth: number): string =>
  `/lineage?${new URLSearchParams({ node, direction, depth: String(depth) }).toString()}`;

/** What depends on the node now: model versions and the deployments serving them. */
function ImpactPanel({ node }: { node: string }) {
  const impact = useQuery({ queryKey: ['lineage-impact', node], queryFn: () => getImpact(node) });
  if (impact.isPending) return <Loading />;
  if (impact.error) return <ErrorNotice error={impact.error} />;
  const { model_versions: versions, deployments } = impact.data;
  return (
    <section aria-label="Impact">
      <h2>Depends on this now</h2>
      <h3>Model versions ({versions.length})</h3>
      {versions.length === 0 ? <p className="muted">None.</p> : null}
      <ul className="plain-list impact-versions">
        {versions.map((v) => (
          <li key={v.id}>
            <Link to={`/models/${encodeURIComponent(v.name)}`}>{v.name}</Link> version {v.version}
          </li>
        ))}
      </ul>
      <h3>Live deployments ({deployments.length})</h3>
      {deployments.length === 0 ? <p className="muted">None.</p> : null}
      <ul className="plain-list impact-deployments">
        {deployments.map((d) => <li key={d.id}>{d.name}</li>)}
      </ul>
      <p className="muted">
        Through {impact.data.runs.length} runs and {impact.data.logged_models.length} logged models.
      </p>
    </section>
  );
}

/** The lineage graph around one node, with depth and direction controls and an impact summary. */
export function LineagePage({ node, direction, depth }: { node: string | undefined; direction: Direction; depth: number }) {
  const [draft, setDraft] = useState(node ?? '');
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const graph = useQuery({ queryKey: ['lineage', node, direction, depth], queryFn: () => getGraph(node ?? '', direction, depth), enabled: Boolean(node) });
  const recent = useQuery({ queryKey: ['lineage-nodes'], queryFn: recentNodes, enabled: !node });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft.trim()) navigate(hrefFor(draft.trim(), direction, depth));
  };
  const picked = graph.data?.nodes.find((n) => n.id === selected);
  return (
    <div className="page lineage-page">
      <div className="page-head">
        <h1>Lineage</h1>
        <form className="lineage-form" onSubmit={submit}>
          <input type="text" className="lineage-input" aria-label="Node" placeholder="dataset:name@digest, run:id, model_version:name/3 …" value={draft} onChange={(e) => setDraft(e.target.value)} />
          <button type="submit" className="primary">Show</button>
        </form>
        {node ? (
          <>
            <select aria-label="Direction" value={direction} onChange={(e) => navigate(hrefFor(node, e.target.value as Direction, depth), { replace: true })}>
              <option value="both">Both ways</option>
              <option value="upstream">Upstream</option>
              <option value="downstream">Downstream</option>
            </select>
            <label className="inline-option">
              Depth
              <select aria-label="Depth" value={depth} onChange={(e) => navigate(hrefFor(node, direction, Number(e.target.value)), { replace: true })}>
                {[1, 2, 3, 5, 10, 20].map((d) => <option key={d} value={d}>{d}</option>)}
              </select>
            </label>
          </>
        ) : null}
      </div>
      {!node ? (
        <section>
          <h2>Recently recorded</h2>
          {recent.isPending ? <Loading /> : null}
          {recent.error ? <ErrorNotice error={recent.error} /> : null}
          {recent.data?.nodes.length === 0 ? <p className="muted">Nothing recorded yet: lineage appears as runs log inputs, models are logged and registered, and deployments serve versions.</p> : null}
          <ul className="plain-list">
            {recent.data?.nodes.map((n) => (
              <li key={n.id}>
                <Link to={hrefFor(n.id, 'both', 5)}>{n.id}</Link> <span className="muted">{typeLabel(n.type)}, {formatTime(n.created_at)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {graph.isPending && node ? <Loading /> : null}
      {graph.error ? <ErrorNotice error={graph.error} title="Could not load the lineage" /> : null}
      {graph.data ? (
        <div className="lineage-layout">
          <div>
            {!graph.data.recorded ? <p className="muted">Nothing has been recorded about {graph.data.node} yet.</p> : null}
            <LineageCanvas graph={graph.data} selected={selected} onSelect={setSelected} />
          </div>
          <aside>
            {picked ? (
              <section aria-label="Selected node">
                <h2>{typeLabel(picked.type)}</h2>
                <p className="mono break">{picked.id}</p>
                <p className="muted">
                  {picked.side === 'self' ? 'The node shown' : `${picked.depth} step${picked.depth === 1 ? '' : 's'} ${picked.side}`}
                </p>
                <div className="lineage-actions">
                  {pageOf(picked.id) ? <Link to={pageOf(picked.id) ?? '/'}>Open its page</Link> : null}
                  {picked.id !== node ? (
                    <button type="button" onClick={() => navigate(hrefFor(picked.id, direction, depth))}>
                      Center here
                    </button>
                  ) : null}
                </div>
              </section>
            ) : (
              <p className="muted">Click a node for details.</p>
            )}
            {node ? <ImpactPanel node={node} /> : null}
          </aside>
        </div>
      ) : null}
    </div>
  );
}
