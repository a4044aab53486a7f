import { useEffect, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { getExperiment } from '../api/tracking.js';
import { ErrorNotice } from '../components.js';
import { Link, navigate, useLocation } from '../router.js';
import { ColumnPicker } from '../runs/ColumnPicker.js';
import { RunsTable } from '../runs/RunsTable.js';
import { ATTRIBUTE_COLUMNS, collectKeys, dataColumn, sortRows } from '../runs/runRows.js';
import type { RunColumn, RunSort } from '../runs/runRows.js';
import { useAllRuns } from '../runs/useAllRuns.js';

const MAX_COMPARED_RUNS = 20;
const DEFAULT_METRIC_COLUMNS = 6;
const DEFAULT_PARAM_COLUMNS = 4;

function defaultVisibleColumns(metricKeys: string[], paramKeys: string[]): Set<string> {
  return new Set([
    ...metricKeys.slice(0, DEFAULT_METRIC_COLUMNS).map((key) => `metric:${key}`),
    ...paramKeys.slice(0, DEFAULT_PARAM_COLUMNS).map((key) => `param:${key}`),
  ]);
}

/** Shows why Compare is or is not available for the current selection. */
function compareHint(count: number): string {
  if (count < 2) return 'Select 2 to 20 runs to compare';
  if (count > MAX_COMPARED_RUNS) return `At most ${MAX_COMPARED_RUNS} runs can be compared`;
  return '';
}

/** An experiment's runs: all pages loaded, sortable, filterable with MLflow's search grammar. */
export function RunsPage({ experimentId }: { experimentId: string }) {
  const { search } = useLocation();
  const appliedFilter = search.get('filter') ?? '';
  const [draftFilter, setDraftFilter] = useState(appliedFilter);
  // Back/forward changes the applied filter in the URL; the box should show it.
  useEffect(() => setDraftFilter(appliedFilter), [appliedFilter]);
  const experiment = useQuery({ queryKey: ['experiment', experimentId], queryFn: () => getExperiment(experimentId) });
  const runs = useAllRuns(experimentId, appliedFilter);
  const keys = useMemo(() => collectKeys(runs.rows), [runs.rows]);
  const [chosenColumns, setChosenColumns] = useState<Set<string> | undefined>(undefined);
  const defaultColumns = useMemo(() => defaultVisibleColumns(keys.metricKeys, keys.paramKeys), [keys]);
  const visible = chosenColumns ?? defaultColumns;
  const [sort, setSort] = useState<RunSort | undefined>(undefined);
  const [selected, setSelected] = useState<Set<string>>(new Set());

  const columns: RunColumn[] = useMemo(
    () => [
      ...ATTRIBUTE_COLUMNS,
      ...keys.metricKeys.filter((key) => visible.has(`metric:${key}`)).map((key) => dataColumn('metric', key)),
      ...keys.paramKeys.filter((key) => visible.has(`param:${key}`)).map((key) => dataColumn('param', key)),
    ],
    [keys, visible],
  );
  const sortColumn = columns.find((column) => column.id === sort?.columnId);
  const sortedRows = useMemo(
    () => (sort && sortColumn ? sortRows(runs.rows, sortColumn, sort.descending) : runs.rows),
    [runs.rows, sort, sortColumn],
  );

  function applyFilter(event: FormEvent): void {
    event.preventDefault();
    const filter = draftFilter.trim();
    const query = filter ? `?filter=${encodeURIComponent(filter)}` : '';
    navigate(`/experiments/${encodeURIComponent(experimentId)}${query}`, { replace: true });
  }

  // Header clicks cycle: descending, ascending, then back to the server's order (newest first).
  function cycleSort(columnId: string): void {
    if (sort?.columnId !== columnId) setSort({ columnId, descending: true });
    else if (sort.descending) setSort({ columnId, descending: false });
    else setSort(undefined);
  }

  function toggleSelected(runId: string): void {
    const next = new Set(selected);
    if (next.has(runId)) next.delete(runId);
    else next.add(runId);
    setSelected(next);
  }

  function openCompare(): void {
    const ids = [...selected].join(',');
    navigate(`/compare?runs=${encodeURIComponent(ids)}&experiment=${encodeURIComponent(experimentId)}`);
  }

  const hint = compareHint(selected.size);
  return (
    <div className="page runs-page">
      <div className="breadcrumbs">
        <Link to="/experiments">Experiments</Link> / <span>{experiment.data?.name ?? experimentId}</span>
      </div>
      <div className="page-head">
        <h1>{experiment.data?.name ?? 'Experiment'}</h1>
        <span className="muted mono">id {experimentId}</span>
      </div>
      {experiment.error ? <ErrorNotice error={experiment.error} title="Could not load the experiment" /> : null}
      <form className="filter-bar" onSubmit={applyFilter}>
        <input
          type="search"
          className="filter-input mono"
          name="filter"
          aria-label="Search runs"
          placeholder={"metrics.acc > 0.5 and params.lr = '0.01'"}
          value={draftFilter}
          onChange={(event) => setDraftFilter(event.target.value)}
        />
        <button type="submit">Search</button>
        <ColumnPicker
          metricKeys={keys.metricKeys}
          paramKeys={keys.paramKeys}
          visible={visible}
          onChange={setChosenColumns}
        />
        <button type="button" className="primary" disabled={hint !== ''} title={hint} onClick={openCompare}>
          Compare ({selected.size})
        </button>
        {selected.size > 0 ? (
          <button type="button" onClick={() => setSelected(new Set())}>
            Clear selection
          </button>
        ) : null}
      </form>
      {runs.error ? <ErrorNotice error={runs.error} title="Search failed" /> : null}
      <div className="runs-status muted" data-testid="runs-status" aria-live="polite">
        {runs.isPending && !runs.error ? 'Loading runs…' : null}
        {!runs.isPending && !runs.done && !runs.error
          ? `Loading… ${runs.rows.length.toLocaleString()} runs so far (page ${runs.pagesLoaded + 1})`
          : null}
        {runs.done ? `${runs.rows.length.toLocaleString()} runs${appliedFilter ? ' match' : ''}` : null}
        {hint && selected.size > 0 ? ` · ${hint}` : null}
      </div>
      {runs.done && runs.rows.length === 0 ? (
        <p className="empty-note muted">{appliedFilter ? 'No runs match this search.' : 'This experiment has no runs yet.'}</p>
      ) : null}
      {runs.rows.length > 0 || (!runs.error && !runs.done) ? (
        <RunsTable
          rows={sortedRows}
          columns={columns}
          sort={sort}
          onSortChange={cycleSort}
          selected={selected}
          onToggleSelected={toggleSelected}
        />
      ) : null}
    </div>
  );
}
