import { useState } from 'react';

interface ColumnPickerProps {
  metricKeys: readonly string[];
  paramKeys: readonly string[];
  visible: ReadonlySet<string>;
  onChange: (visible: Set<string>) => void;
}

function KeyGroup({
  title,
  kind,
  keys,
  visible,
  onToggle,
}: {
  title: string;
  kind: 'metric' | 'param';
  keys: readonly string[];
  visible: ReadonlySet<string>;
  onToggle: (id: string) => void;
}) {
  return (
    <fieldset>
      <legend>
        {title} ({keys.length})
      </legend>
      {keys.length === 0 ? <p className="muted">None logged.</p> : null}
      {keys.map((key) => {
        const id = `${kind}:${key}`;
        return (
          <label key={id} className="picker-item">
            <input type="checkbox" checked={visible.has(id)} onChange={() => onToggle(id)} />
            <span>{key}</span>
          </label>
        );
      })}
    </fieldset>
  );
}

/** A drop-down listing every metric and param key seen across the runs, each toggling a column. */
export function ColumnPicker({ metricKeys, paramKeys, visible, onChange }: ColumnPickerProps) {
  const [open, setOpen] = useState(false);
  const [needle, setNeedle] = useState('');
  const match = (key: string) => key.toLowerCase().includes(needle.trim().toLowerCase());
  const shownMetrics = metricKeys.filter(match);
  const shownParams = paramKeys.filter(match);

  function toggle(id: string): void {
    const next = new Set(visible);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onChange(next);
  }

  function setAll(ids: string[], on: boolean): void {
    const next = new Set(visible);
    for (const id of ids) {
      if (on) next.add(id);
      else next.delete(id);
    }
    onChange(next);
  }

  const shownIds = [...shownMetrics.map((key) => `metric:${key}`), ...shownParams.map((key) => `param:${key}`)];
  return (
    <div className="picker">
      <button type="button" onClick={() => setOpen(!open)} aria-expanded={open}>
        Columns ({visible.size}) ▾
      </button>
      {open ? (
        <div className="picker-panel">
          <div className="picker-tools">
            <input
              type="search"
              placeholder="Find a key"
              aria-label="Find a column key"
              value={needle}
              onChange={(event) => setNeedle(event.target.value)}
            />
            <button type="button" onClick={() => setAll(shownIds, true)}>
              All
            </button>
            <button type="button" onClick={() => setAll(shownIds, false)}>
              None
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              Close
            </button>
          </div>
          <div className="picker-groups">
            <KeyGroup title="Metrics" kind="metric" keys={shownMetrics} visible={visible} onToggle={toggle} />
            <KeyGroup title="Params" kind="param" keys={shownParams} visible={visible} onToggle={toggle} />
          </div>
        </div>
      ) : null}
    </div>
  );
}
