/** The editable sections of a model card, their titles, and the rules a saved text must meet. */
import { invalid } from '../../core/errors.js';

/** Section keys in the order a card shows them; the API and the database use the same names. */
export const CARD_SECTIONS = [
  'intended_use',
  'out_of_scope_use',
  'training_data',
  'evaluation',
  'owners',
  'limitations',
  'ethical_considerations',
  'notes',
] as const;

export type CardSection = (typeof CARD_SECTIONS)[number];

/** The editable text of a card: Markdown per section, '' when the author left it empty. */
export type CardSections = Readonly<Record<CardSection, string>>;

/** Headings as a reader of the card sees them. */
export const SECTION_TITLES: Readonly<Record<CardSection, string>> = Object.freeze({
  intended_use: 'Intended use',
  out_of_scope_use: 'Out-of-scope use',
  training_data: 'Training data',
  evaluation: 'Evaluation',
  owners: 'Owners',
  limitations: 'Limitations',
  ethical_considerations: 'Ethical considerations and risks',
  notes: 'Notes',
});

/** A section holds prose, not data: 64 KiB is pages of text and keeps a card row small. */
export const CARD_LIMITS = Object.freeze({ sectionChars: 65_536 });

/** A card with every section empty: what a model without a saved card shows. */
export const EMPTY_SECTIONS: CardSections = Object.freeze(Object.fromEntries(CARD_SECTIONS.map((s) => [s, ''])) as Record<CardSection, string>);

/** Fill in absent sections with '' and refuse text that is too long or holds control characters. */
export function checkSections(input: Partial<Record<CardSection, string | undefined>>): CardSections {
  const out = {} as Record<CardSection, string>;
  for (const section of CARD_SECTIONS) {
    const text = input[section] ?? '';
    if (text.length > CARD_LIMITS.sectionChars) {
      throw invalid(`Invalid value for parameter 'sections.${section}': at most ${CARD_LIMITS.sectionChars} characters, got ${text.length}`);
    }
    // Tabs and line breaks are prose; other control characters are pasted binary or terminal escapes.
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) {
      throw invalid(`Invalid value for parameter 'sections.${section}': control characters other than tab and line breaks are not allowed`);
    }
    out[section] = text;
  }
  return Object.freeze(out);
}
