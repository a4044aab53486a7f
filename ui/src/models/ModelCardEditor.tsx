/** The card editor: one textarea per section; saving makes a new revision and never changes an old one. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '../components.js';
import { CARD_SECTIONS, SECTION_TITLES, saveModelCard, type CardRevision, type CardSections } from './ModelCardApi.js';

interface EditorProps {
  name: string;
  /** The text to start from: the card being shown. */
  initial: CardSections;
  /** The version the new revision describes at first ('' for the model as a whole). */
  initialVersion: string;
  versions: string[];
  onSaved: (revision: CardRevision) => void;
  onCancel: () => void;
}

export function ModelCardEditor({ name, initial, initialVersion, versions, onSaved, onCancel }: EditorProps) {
  const queryClient = useQueryClient();
  const [sections, setSections] = useState<CardSections>({ ...initial });
  const [describes, setDescribes] = useState(initialVersion);
  const save = useMutation({
    mutationFn: () => saveModelCard(name, sections, describes === '' ? null : describes),
    onSuccess: async (revision) => {
      await queryClient.invalidateQueries({ queryKey: ['model-card', name] });
      await queryClient.invalidateQueries({ queryKey: ['model-card-revisions', name] });
      onSaved(revision);
    },
  });
  function submit(event: FormEvent): void {
    event.preventDefault();
    save.mutate();
  }
  return (
    <form className="card-editor" onSubmit={submit}>
      <label className="card-describes">
        Describes{' '}
        <select value={describes} onChange={(e) => setDescribes(e.target.value)}>
          <option value="">the model as a whole</option>
          {versions.map((v) => (
            <option key={v} value={v}>
              version {v} and later
            </option>
          ))}
        </select>
      </label>
      {CARD_SECTIONS.map((section) => (
        <label key={section} className="card-field">
          <span>{SECTION_TITLES[section]}</span>
          <textarea name={section} rows={section === 'notes' ? 6 : 4} value={sections[section]} onChange={(e) => setSections({ ...sections, [section]: e.target.value })} />
        </label>
      ))}
      <p className="muted">Markdown: # headings, - lists, **bold**, *emphasis*, `code`, [links](https://…).</p>
      {save.error ? <ErrorNotice error={save.error} title="Could not save the card" /> : null}
      <div className="card-actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save as new revision'}
        </button>
        <button type="button" onClick={onCancel} disabled={save.isPending}>
          Cancel
        </button>
      </div>
    </form>
  );
}
