import { useRef } from 'react';
import type { CSSProperties } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { StatusBadge } from '../components.js';
import { formatDuration, formatMetric, formatTimeCompact } from '../format.js';
import { Link } from '../router.js';
import type { RunColumn, RunRow, RunSort } from './runRows.js';

const ROW_HEIGHT = 32;
const CHECKBOX_WIDTH = 36;

interface RunsTableProps {
  rows: readonly RunRow[];
  columns: readonly RunColumn[];
  sort: RunSort | undefined;
  onSortChange: (columnId: string) => void;
  selected: ReadonlySet<string>;
  onToggleSelected: (runId: string) => void;
}

function cellContent(row: RunRow, column: RunColumn) {
  if (column.kind === 'metric') return formatMetric(row.metrics[column.key]);
  if (column.kind === 'param') return row.params[column.key] ?? '';
  switch (column.key) {
    case 'name':
      return <Link to={`/runs/${encodeURIComponent(row.id)}`}>{row.name}</Link>;
    case 'status':
      return <StatusBadge status={row.status} />;
    case 'start':
      return formatTimeCompact(row.startTime);
    case 'duration':
      return row.startTime && row.endTime ? formatDuration(row.endTime - row.startTime) : '';
    case 'user':
      return row.user;
    default:
      return '';
  }
}

function sortArrow(sort: RunSort | undefined, column: RunColumn): string {
  if (sort?.columnId !== column.id) return '';
  return sort.descending ? ' ▼' : ' ▲';
}

/**
 * The runs grid. Only the rows in view (plus a few) are in the DOM, so 10,000 runs scroll
 * as smoothly as 10; the header stays put while the body scrolls under it.
 */
export function RunsTable({ rows, columns, sort, onSortChange, selected, onToggleSelected }: RunsTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (index) => rows[index]?.id ?? index,
  });
  const totalWidth = CHECKBOX_WIDTH + columns.reduce((sum, column) => sum + column.width, 0);
  const template = `${CHECKBOX_WIDTH}px ${columns.map((column) => `${column.width}px`).join(' ')}`;
  const rowStyle: CSSProperties = { gridTemplateColumns: template, width: totalWidth };

  return (
    <div className="runs-scroll" ref={scrollRef} data-testid="runs-scroll">
      <div className="runs-header" role="row" style={rowStyle}>
        <div className="cell" />
        {columns.map((column) => (
          <button
            type="button"
            key={column.id}
            className={`cell header-cell kind-${column.kind}`}
            title={`${column.kind === 'attribute' ? '' : `${column.kind}: `}${column.label} (click to sort)`}
            onClick={() => onSortChange(column.id)}
          >
            {column.label}
            {sortArrow(sort, column)}
          </button>
        ))}
      </div>
      <div className="runs-body" style={{ height: virtualizer.getTotalSize(), width: totalWidth }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          const isSelected = selected.has(row.id);
          return (
            <div
              key={item.key}
              role="row"
              className={`runs-row${isSelected ? ' selected' : ''}${item.index % 2 ? ' odd' : ''}`}
              data-run-id={row.id}
              style={{ ...rowStyle, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
            >
              <label className="cell check">
                <input
                  type="checkbox"
                  aria-label={`Select ${row.name}`}
                  checked={isSelected}
                  onChange={() => onToggleSelected(row.id)}
                />
              </label>
              {columns.map((column) => (
                <div key={column.id} className={`cell kind-${column.kind}`}>
                  {cellContent(row, column)}
                </div>
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}
