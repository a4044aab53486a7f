import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { searchExperiments } from '../api/tracking.js';
import { LinkedRow, QueryState } from '../components.js';
import { formatTime } from '../format.js';

/** The list of active experiments; a row opens its runs. */
export function ExperimentsPage() {
  const experiments = useQuery({ queryKey: ['experiments'], queryFn: searchExperiments });
  const [nameFilter, setNameFilter] = useState('');
  const shown = useMemo(() => {
    const needle = nameFilter.trim().toLowerCase();
    const all = experiments.data ?? [];
    return needle ? all.filter((experiment) => experiment.name.toLowerCase().includes(needle)) : all;
  }, [experiments.data, nameFilter]);

  return (
    <div className="page">
      <div className="page-head">
        <h1>Experiments</h1>
        <input
          type="search"
          className="search"
          placeholder="Filter by name"
          aria-label="Filter experiments by name"
          value={nameFilter}
          onChange={(event) => setNameFilter(event.target.value)}
        />
      </div>
      <QueryState query={experiments} what="experiments" />
      {experiments.data ? (
        <table className="grid experiments">
          <thead>
            <tr>
              <th>Name</th>
              <th>ID</th>
              <th>Created</th>
              <th>Last update</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((experiment) => {
              const href = `/experiments/${encodeURIComponent(experiment.experiment_id)}`;
              return (
                <LinkedRow key={experiment.experiment_id} href={href} name={experiment.name}>
                  <td className="mono">{experiment.experiment_id}</td>
                  <td>{formatTime(experiment.creation_time)}</td>
                  <td>{formatTime(experiment.last_update_time)}</td>
                </LinkedRow>
              );
            })}
            {shown.length === 0 ? (
              <tr>
                <td colSpan={4} className="muted">
                  No experiments{nameFilter ? ' match this name' : ' yet'}.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
