/**
 * A reader for block-style YAML as found in `.dvc` files: mappings, sequences (indented or not),
 * plain and quoted scalars (also folded over several lines), `|`/`>` block scalars, simple flow
 * collections and comments. Anchors, tags and multi-document streams are refused with a message.
 */
import type { YamlValue } from './yaml.js';

interface Line {
  readonly indent: number;
  readonly text: string;
}

const INT = /^[-+]?(?:0|[1-9][0-9_]*)$/;
const FLOAT = /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?$|^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$/;

/** What a plain scalar means under YAML 1.2 core rules. */
function plainValue(text: string): YamlValue {
  if (/^(?:~|null|Null|NULL)?$/.test(text)) return null;
  if (/^(?:true|True|TRUE)$/.test(text)) return true;
  if (/^(?:false|False|FALSE)$/.test(text)) return false;
  if (INT.test(text)) return Number(text.replaceAll('_', ''));
  if (FLOAT.test(text) && /[0-9]/.test(text)) return Number(text.replaceAll('_', ''));
  return text;
}

/** Strip a trailing ` # comment` outside quotes. */
function stripComment(text: string): string {
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote && quote === "'" && text[i + 1] === "'") i++;
      else if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = '';
    } else if ((ch === "'" || ch === '"') && (i === 0 || /[\s:[{,-]/.test(text[i - 1] ?? ''))) quote = ch;
    else if (ch === '#' && (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\t')) return text.slice(0, i).trimEnd();
  }
  return text.trimEnd();
}

/** Where a `key:` separator ends the key in `text`, or -1 when the text is not a mapping entry. */
function keyEnd(text: string): number {
  if (text.startsWith('"') || text.startsWith("'")) {
    const q = text[0] ?? '';
    let i = 1;
    for (; i < text.length; i++) {
      if (text[i] === '\\' && q === '"') i++;
      else if (text[i] === q && q === "'" && text[i + 1] === "'") i++;
      else if (text[i] === q) break;
    }
    return text[i + 1] === ':' && (i + 2 === text.length || text[i + 2] === ' ') ? i + 1 : -1;
  }
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ':' && (i + 1 === text.length || text[i + 1] === ' ')) return i;
  }
  return -1;
}

class Parser {
  private pos = 0;
  constructor(private readonly raw: readonly string[]) {}

  advance(): void {
    this.pos++;
  }

  /** The next line holding content, skipping blanks and comment lines. */
  peek(): Line | undefined {
    while (this.pos < this.raw.length) {
      const line = this.raw[this.pos] ?? '';
      const trimmed = line.trimStart();
      if (trimmed === '' || trimmed.startsWith('#')) {
        this.pos++;
        continue;
      }
      if (line.startsWith('\t')) throw new Error(`tab indentation on line ${this.pos + 1}`);
      if (trimmed === '---' && this.pos === 0) {
        this.pos++;
        continue;
      }
      if (/^(---|\.\.\.)(\s|$)/.test(trimmed)) throw new Error(`more than one document (line ${this.pos + 1})`);
      return { indent: line.length - trimmed.length, text: trimmed };
    }
    return undefined;
  }

  node(indent: number, text: string): YamlValue {
    if (text === '-' || text.startsWith('- ')) return this.sequence(indent, text);
    if (keyEnd(stripComment(text)) >= 0) return this.mapping(indent, text);
    return this.scalar(indent - 1, text);
  }

  /** A block value: whatever follows on the next lines, indented more than `parent`. */
  block(parent: number, allowIndentless: boolean): YamlValue {
    const next = this.peek();
    if (next === undefined) return null;
    if (next.indent > parent || (allowIndentless && next.indent === parent && (next.text === '-' || next.text.startsWith('- ')))) {
      this.pos++;
      return this.node(next.indent, next.text);
    }
    return null;
  }

  sequence(indent: number, first: string): YamlValue[] {
    const items: YamlValue[] = [];
    let text: string | undefined = first;
    for (;;) {
      const rest = text.slice(1).trimStart();
      const restIndent = indent + (text.length - rest.length);
      if (stripComment(rest) === '') items.push(this.block(indent, false));
      else items.push(this.node(restIndent, rest));
      const next = this.peek();
      if (next === undefined || next.indent !== indent || !(next.text === '-' || next.text.startsWith('- '))) return items;
      this.pos++;
      text = next.text;
    }
  }

  mapping(indent: number, first: string): { [key: string]: YamlValue } {
    const map: { [key: string]: YamlValue } = {};
    let text = first;
    for (;;) {
      const cut = keyEnd(stripComment(text));
      if (cut < 0) throw new Error(`expected 'key: value' on line ${this.pos}: ${text}`);
      const rawKey = text.slice(0, cut);
      const key = rawKey.startsWith("'") || rawKey.startsWith('"') ? this.quoted(rawKey) : rawKey.trim();
      const rest = text.slice(cut + 1).trimStart();
      map[key] = stripComment(rest) === '' ? this.block(indent, true) : this.scalarOrFlow(indent, rest);
      const next = this.peek();
      if (next === undefined || next.indent !== indent) return map;
      if (next.text.startsWith('- ') || next.text === '-') throw new Error(`unexpected sequence item on line ${this.pos + 1}`);
      this.pos++;
      text = next.text;
    }
  }

  scalarOrFlow(indent: number, text: string): YamlValue {
    const t = stripComment(text);
    if (t.startsWith('[') || t.startsWith('{')) return parseFlow(t);
    if (/^[&*!]/.test(t)) throw new Error(`anchors, aliases and tags are not supported (line ${this.pos})`);
    if (/^[|>][-+]?$/.test(t)) return this.blockScalar(indent, t);
    return this.scalar(indent, text);
  }

  /** A scalar starting on the current line, continued on lines indented more than `parent`. */
  scalar(parent: number, text: string): YamlValue {
    const parts = [text];
    const quote = text[0] === "'" || text[0] === '"' ? text[0] : '';
    while (quote ? !closesQuote(parts.join('\n'), quote) : true) {
      const line = this.raw[this.pos];
      if (line === undefined) break;
      const trimmed = line.trim();
      const indentOf = line.length - line.trimStart().length;
      if (!quote && (trimmed.startsWith('#') || (trimmed !== '' && indentOf <= parent))) break;
      if (!quote && trimmed === '' && !this.continuesAfterBlank(parent)) break;
      parts.push(trimmed);
      this.pos++;
    }
    if (quote) return this.quoted(parts.join('\n'));
    return plainValue(foldLines(parts.map((p, i) => (i === parts.length - 1 ? stripComment(p) : p))));
  }

  private continuesAfterBlank(parent: number): boolean {
    for (let i = this.pos; i < this.raw.length; i++) {
      const line = this.raw[i] ?? '';
      if (line.trim() === '') continue;
      return line.length - line.trimStart().length > parent && !line.trim().startsWith('#');
    }
    return false;
  }

  quoted(text: string): string {
    const q = text[0];
    const end = q === "'" ? findSingleEnd(text) : findDoubleEnd(text);
    if (end < 0) throw new Error(`unterminated quoted string near line ${this.pos}`);
    const body = text.slice(1, end);
    if (q === "'") return foldLines(body.split('\n'), true).replaceAll("''", "'");
    return unescapeDouble(body);
  }

  blockScalar(parent: number, header: string): string {
    const lines: string[] = [];
    let blockIndent = -1;
    while (this.pos < this.raw.length) {
      const line = this.raw[this.pos] ?? '';
      const indentOf = line.length - line.trimStart().length;
      if (line.trim() !== '') {
        if (blockIndent < 0) blockIndent = indentOf;
        if (indentOf < blockIndent || indentOf <= parent) break;
      }
      lines.push(line.slice(Math.max(blockIndent, 0)));
      this.pos++;
    }
    while (lines.length > 0 && (lines[lines.length - 1] ?? '').trim() === '') lines.pop();
    const body = header.startsWith('|') ? lines.join('\n') : foldLines(lines);
    return header.endsWith('-') ? body : `${body}\n`;
  }
}

function closesQuote(text: string, quote: string): boolean {
  return (quote === "'" ? findSingleEnd(text) : findDoubleEnd(text)) > 0;
}

function findSingleEnd(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === "'") {
      if (text[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

function findDoubleEnd(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

/**
 * YAML line folding: one line break becomes a space, each further empty line a newline. Spaces
 * around a break go; inside quotes the first line's start and the last line's end are kept.
 */
function foldLines(lines: readonly string[], quoted = false): string {
  let out = '';
  let pendingBreaks = 0;
  const last = lines.length - 1;
  lines.forEach((line, i) => {
    let t = i === 0 ? line : line.trimStart();
    if (i < last || !quoted) t = t.trimEnd();
    if (t === '' && i > 0) {
      pendingBreaks++;
      return;
    }
    if (i > 0) out += pendingBreaks > 0 ? '\n'.repeat(pendingBreaks) : ' ';
    pendingBreaks = 0;
    out += t;
  });
  return out;
}

const DOUBLE_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
};

function unescapeDouble(body: string): string {
  // A backslash at a line end joins the lines with nothing; other line breaks fold.
  const folded = foldLines(body.split(/\\\n\s*/).join('\u0000JOIN\u0000').split('\n'), true).replaceAll('\u0000JOIN\u0000', '');
  return folded.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/gs, (_m, esc: string) => {
    if (esc.length > 1) return String.fromCodePoint(parseInt(esc.slice(1), 16));
    const value = DOUBLE_ESCAPES[esc];
    if (value === undefined) throw new Error(`unknown escape \\${esc}`);
    return value;
  });
}

/** A one-line flow collection of scalars: `[]`, `{}`, `[a, b]`, `{a: 1}`. */
function parseFlow(text: string): YamlValue {
  const open = text[0];
  const close = open === '[' ? ']' : '}';
  if (!text.endsWith(close)) throw new Error(`only one-line flow collections are supported: ${text}`);
  const inner = text.slice(1, -1).trim();
  const items = inner === '' ? [] : inner.split(',').map((s) => s.trim());
  const scalar = (s: string): YamlValue => (s.startsWith("'") || s.startsWith('"') ? new Parser([]).quoted(s) : plainValue(s));
  if (open === '[') return items.map(scalar);
  const map: { [key: string]: YamlValue } = {};
  for (const item of items) {
    const cut = keyEnd(item);
    if (cut < 0) throw new Error(`expected 'key: value' in ${text}`);
    map[String(scalar(item.slice(0, cut).trim()))] = scalar(item.slice(cut + 1).trim());
  }
  return map;
}

/** Parse one YAML document of the supported subset. */
export function parseYamlDocument(text: string): YamlValue {
  const parser = new Parser(text.replace(/^\uFEFF/, '').split(/\r?\n/));
  const first = parser.peek();
  if (first === undefined) return null;
  parser.advance();
  const value = parser.node(first.indent, first.text);
  const extra = parser.peek();
  if (extra !== undefined) throw new Error(`unexpected content: ${extra.text}`);
  return value;
}
