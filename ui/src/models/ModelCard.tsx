/** The "Model card" section of a model page: pick a revision or version, read it, edit it, export it. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { QueryState } from '../components.js';
import { formatTime } from '../format.js';
import { CARD_SECTIONS, SECTION_TITLES, cardMarkdownUrl, getModelCard, listCardRevisions, type CardChoice, type CardRevision, type ModelCard } from './ModelCardApi.js';
import { ModelCardEditor } from './ModelCardEditor.js';
import { ModelDetails, recordedFor } from './ModelCardFacts.js';
import { ModelCardMarkdown } from './ModelCardMarkdown.js';
import './model-card.css';

/** The picker's value for a choice, and back. */
const choiceValue = (c: CardChoice): string => (c.kind === 'newest' ? 'newest' : c.kind === 'version' ? `version:${c.version}` : `revision:${c.revision}`);
function parseChoice(value: string): CardChoice {
  const [kind, rest = ''] = value.split(':');
  if (kind === 'version') return { kind: 'version', version: rest };
  if (kind === 'revision') return { kind: 'revision', revision: Number(rest) };
  return { kind: 'newest' };
}

function revisionLabel(r: CardRevision): string {
  return `Revision ${r.revision}${r.model_version === null ? '' : ` · version ${r.model_version}`}${r.author ? ` · ${r.author}` : ''} · ${formatTime(r.created_at)}`;
}

function CardPicker({ choice, versions, revisions, onChange }: { choice: CardChoice; versions: string[]; revisions: CardRevision[]; onChange: (c: CardChoice) => void }) {
  return (
    <select aria-label="Card to show" className="card-picker" value={choiceValue(choice)} onChange={(e) => onChange(parseChoice(e.target.value))}>
      <option value="newest">Newest revision</option>
      {versions.length > 0 ? (
        <optgroup label="In effect for a model version">
          {versions.map((v) => (
            <option key={v} value={`version:${v}`}>
              Version {v}
            </option>
          ))}
        </optgroup>
      ) : null}
      {revisions.length > 0 ? (
        <optgroup label="Saved revisions">
          {revisions.map((r) => (
            <option key={r.revision} value={`revision:${r.revision}`}>
              {revisionLabel(r)}
            </option>
          ))}
        </optgroup>
      ) : null}
    </select>
  );
}

function CardView({ card }: { card: ModelCard }) {
  const r = card.revision;
  return (
    <>
      <p className="card-revision muted">
        {r ? `Revision ${r.revision}${r.model_version === null ? ' for the model as a whole' : ` for version ${r.model_version}`}, saved ${formatTime(r.created_at)}${r.author ? ` by ${r.author}` : ''}` : 'No revision of this card has been saved yet.'}
      </p>
      <ModelDetails facts={card.facts} />
      {CARD_SECTIONS.map((section) => {
        const recorded = recordedFor(section, card.facts);
        const text = card.sections[section].trim();
        return (
          <div key={section} className="card-section" data-section={section}>
            <h3>{SECTION_TITLES[section]}</h3>
            <div className={recorded ? 'card-columns' : undefined}>
              <div className="card-text">{text ? <ModelCardMarkdown text={text} /> : <p className="muted">Not written yet.</p>}</div>
              {recorded ? (
                <aside className="card-recorded">
                  <h4>Recorded by cairn</h4>
                  {recorded}
                </aside>
              ) : null}
            </div>
          </div>
        );
      })}
    </>
  );
}

/** The model card of `name`; `versions` are its live version numbers, newest first. */
export function ModelCardSection({ name, versions }: { name: string; versions: string[] }) {
  const [choice, setChoice] = useState<CardChoice>({ kind: 'newest' });
  const [editing, setEditing] = useState(false);
  const card = useQuery({ queryKey: ['model-card', name, choiceValue(choice)], queryFn: () => getModelCard(name, choice) });
  const revisions = useQuery({ queryKey: ['model-card-revisions', name], queryFn: () => listCardRevisions(name) });
  const startVersion = choice.kind === 'version' ? choice.version : card.data?.revision?.model_version != null ? String(card.data.revision.model_version) : '';
  return (
    <section className="model-card">
      <div className="card-head">
        <h2>Model card</h2>
        <CardPicker choice={choice} versions={versions} revisions={revisions.data ?? []} onChange={setChoice} />
        <button type="button" onClick={() => setEditing(true)} disabled={editing || !card.data}>
          Edit card
        </button>
        <a className="card-export" href={cardMarkdownUrl(name, choice)} download={`${name}-card.md`}>
          Export Markdown
        </a>
      </div>
      <QueryState query={card} what="the model card" />
      {card.data && editing ? (
        <ModelCardEditor
          name={name}
          initial={card.data.sections}
          initialVersion={startVersion}
          versions={versions}
          onCancel={() => setEditing(false)}
          onSaved={(saved) => {
            setEditing(false);
            setChoice({ kind: 'revision', revision: saved.revision });
          }}
        />
      ) : null}
      {card.data && !editing ? <CardView card={card.data} /> : null}
    </section>
  );
}
