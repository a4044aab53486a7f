/**
 * The tokenizer shared by MLflow's filter and ORDER BY grammars. It knows nothing about which
 * identifiers a search allows; it only cuts the text into words, quoted pieces, numbers and
 * punctuation, remembering where each one starts so errors can point at it.
 */
import { invalid } from '../errors.js';

/** One lexical piece of a filter or ORDER BY string. */
export type Token =
  /** A bare word: keyword, attribute, or dotted identifier such as `metrics.acc` (may end in `.`). */
  | { readonly kind: 'word'; readonly text: string; readonly start: number; readonly end: number }
  /** Text in single quotes: always a string value. */
  | { readonly kind: 'single'; readonly text: string; readonly start: number; readonly end: number }
  /** Text in double quotes: a quoted key on the left of a comparison, a string value on the right. */
  | { readonly kind: 'double'; readonly text: string; readonly start: number; readonly end: number }
  /** Text in backticks: always a quoted key. */
  | { readonly kind: 'backtick'; readonly text: string; readonly start: number; readonly end: number }
  | { readonly kind: 'number'; readonly text: string; readonly value: number; readonly start: number; readonly end: number }
  | { readonly kind: 'operator'; readonly text: string; readonly start: number; readonly end: number }
  | { readonly kind: 'punct'; readonly text: '(' | ')' | ','; readonly start: number; readonly end: number };

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
// Keys MLflow users write bare include dots (metrics.val.acc), hyphens and colons (tags.team:ml);
// anything else needs backticks or double quotes.
const WORD = /^[A-Za-z_][A-Za-z0-9_.:\-]*/;
const OPERATOR = /^(?:<=|>=|<>|!=|==|=|<|>)/;

/** Cut `source` into tokens; throws INVALID_PARAMETER_VALUE on an unterminated quote or a stray character. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const char = source[at] as string;
    if (/\s/.test(char)) {
      at++;
      continue;
    }
    if (char === "'" || char === '"' || char === '`') {
      const { text, end } = readQuoted(source, at, char);
      const kind = char === "'" ? 'single' : char === '"' ? 'double' : 'backtick';
      tokens.push({ kind, text, start: at, end });
      at = end;
      continue;
    }
    if (char === '(' || char === ')' || char === ',') {
      tokens.push({ kind: 'punct', text: char, start: at, end: at + 1 });
      at++;
      continue;
    }
    const rest = source.slice(at);
    const number = startsNumber(rest) ? NUMBER.exec(rest) : null;
    if (number) {
      const text = number[0];
      tokens.push({ kind: 'number', text, value: Number(text), start: at, end: at + text.length });
      at += text.length;
      continue;
    }
    const operator = OPERATOR.exec(rest);
    if (operator) {
      const text = operator[0];
      tokens.push({ kind: 'operator', text, start: at, end: at + text.length });
      at += text.length;
      continue;
    }
    const word = WORD.exec(rest);
    if (word) {
      const text = word[0];
      tokens.push({ kind: 'word', text, start: at, end: at + text.length });
      at += text.length;
      continue;
    }
    throw invalid(`Invalid character '${char}' at position ${at} in '${source}'`);
  }
  return tokens;
}

function startsNumber(rest: string): boolean {
  return /^(?:[+-]?\d|[+-]?\.\d)/.test(rest);
}

/**
 * Read a quoted piece starting at `start`. A doubled quote or a backslash before the quote stands
 * for the quote itself (SQL and sqlparse both accept these); other backslashes stay as written so
 * LIKE patterns keep their escapes.
 */
function readQuoted(source: string, start: number, quote: string): { text: string; end: number } {
  let text = '';
  let at = start + 1;
  while (at < source.length) {
    const char = source[at] as string;
    if (char === '\\' && source[at + 1] === quote) {
      text += quote;
      at += 2;
      continue;
    }
    if (char === quote) {
      if (source[at + 1] === quote) {
        text += quote;
        at += 2;
        continue;
      }
      return { text, end: at + 1 };
    }
    text += char;
    at++;
  }
  throw invalid(`Invalid filter '${source}'. Unterminated ${quote} quote starting at position ${start}.`);
}
