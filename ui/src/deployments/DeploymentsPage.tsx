import { useQuery } from '@tanstack/react-query';
import { QueryState } from '../components.js';
import { formatTime } from '../format.js';
import { Link } from '../router.js';
import { listDeployments } from './api.js';
import { TrafficSplit } from './TrafficSplit.js';

/** Every managed deployment: model, traffic split, status. */
export function DeploymentsPage() {
  const deployments = useQuery({ queryKey: ['deployments'], queryFn: listDeployments, refetchInterval: 5000 });
  return (
    <div className="page">
      <div className="page-head">
        <h1>Deployments</h1>
      </div>
      <QueryState query={deployments} what="deployments" />
      {deployments.data && deployments.data.length === 0 ? (
        <p className="muted">
          No deployments yet. Create one with <code>POST /api/v1/deployments</code>, e.g.{' '}
          <code>{'{"name": "iris-prod", "model": "iris", "alias": "champion"}'}</code>.
        </p>
      ) : null}
      {deployments.data && deployments.data.length > 0 ? (
        <table className="grid deployments">
          <thead>
            <tr>
              <th>Name</th>
              <th>Model</th>
              <th>Traffic</th>
              <th>Status</th>
              <th>Last changed</th>
            </tr>
          </thead>
          <tbody>
            {deployments.data.map((d) => (
              <tr key={d.name}>
                <td>
                  <Link to={`/deployments/${encodeURIComponent(d.name)}`}>{d.name}</Link>
                </td>
                <td>
                  <Link to={`/models/${encodeURIComponent(d.model)}`}>{d.model}</Link>
                </td>
                <td style={{ minWidth: 220 }}>
                  <TrafficSplit traffic={d.traffic} />
                </td>
                <td className={`deployment-status status-${d.status.toLowerCase()}`} title={d.status_message ?? ''}>
                  {d.status}
                </td>
                <td>{formatTime(d.last_updated_time)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
