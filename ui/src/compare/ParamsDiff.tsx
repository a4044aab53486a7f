import { useState } from 'react';
import type { Run } from '../api/types.js';
import { seriesColor } from '../charts/palette.js';
import { Link } from '../router.js';

/** Param keys whose values are not the same across all runs (a missing value counts as different). */
export function differingParamKeys(runs: readonly Run[]): string[] {
  const keys = new Set(runs.flatMap((run) => (run.data?.params ?? []).map((param) => param.key)));
  return [...keys].sort().filter((key) => {
    const values = runs.map((run) => run.data?.params?.find((param) => param.key === key)?.value);
    return new Set(values).size > 1;
  });
}

/** A table of params side by side, one column per run, differing rows highlighted. */
export function ParamsDiff({ runs, labels }: { runs: readonly Run[]; labels: readonly string[] }) {
  const [onlyDifferences, setOnlyDifferences] = useState(false);
  const allKeys = [...new Set(runs.flatMap((run) => (run.data?.params ?? []).map((param) => param.key)))].sort();
  const differing = new Set(differingParamKeys(runs));
  const keys = onlyDifferences ? allKeys.filter((key) => differing.has(key)) : allKeys;
  return (
    <>
      <label className="inline-option">
        <input type="checkbox" checked={onlyDifferences} onChange={() => setOnlyDifferences(!onlyDifferences)} /> Only
        differences ({differing.size} of {allKeys.length})
      </label>
      <div className="table-scroll">
        <table className="grid params-diff">
          <thead>
            <tr>
              <th>Param</th>
              {runs.map((run, index) => (
                <th key={run.info.run_id}>
                  <span className="swatch" style={{ background: seriesColor(index) }} />
                  <Link to={`/runs/${encodeURIComponent(run.info.run_id)}`}>{labels[index]}</Link>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key} className={differing.has(key) ? 'differs' : ''}>
                <th scope="row">{key}</th>
                {runs.map((run) => (
                  <td key={run.info.run_id} className="mono">
                    {run.data?.params?.find((param) => param.key === key)?.value ?? <span className="muted">—</span>}
                  </td>
                ))}
              </tr>
            ))}
            {keys.length === 0 ? (
              <tr>
                <td colSpan={runs.length + 1} className="muted">
                  No params{onlyDifferences ? ' differ' : ''}.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </>
  );
}
