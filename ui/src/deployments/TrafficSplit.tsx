import { seriesColor } from '../charts/palette.js';
import { targetLabel, type TrafficTarget } from './api.js';

/** A horizontal bar split by each target's share of the traffic, with its percentage. */
export function TrafficSplit({ traffic }: { traffic: TrafficTarget[] }) {
  const total = traffic.reduce((sum, t) => sum + t.weight, 0) || 1;
  return (
    <div className="traffic-split" style={{ display: 'flex', height: 28, borderRadius: 6, overflow: 'hidden', border: '1px solid #d6dbe4', maxWidth: 640 }}>
      {traffic
        .filter((t) => t.weight > 0)
        .map((t, index) => {
          const percent = (100 * t.weight) / total;
          return (
            <div
              key={`${targetLabel(t)}-${index}`}
              className="traffic-share"
              title={`${targetLabel(t)}: ${percent.toFixed(1)}%`}
              style={{ width: `${percent}%`, background: seriesColor(index), color: '#fff', fontSize: 12, display: 'flex', alignItems: 'center', justifyContent: 'center', whiteSpace: 'nowrap', overflow: 'hidden' }}
            >
              {targetLabel(t)} {Math.round(percent)}%
            </div>
          );
        })}
    </div>
  );
}
