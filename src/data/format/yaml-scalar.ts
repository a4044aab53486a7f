/**
 * YAML scalar output that matches ruamel.yaml 0.19 (what DVC writes `.dvc` files with) byte for
 * byte: the same choice between plain, 'single' and "double" quoting, and the same line folding
 * at 80 columns. Ported from the rules of ruamel's `Emitter.analyze_scalar`,
 * `choose_scalar_style` and `write_plain`/`write_single_quoted`/`write_double_quoted`.
 */

const BEST_WIDTH = 80;
const BREAKS = '\n\x85\u2028\u2029';
const SPACE_OR_BREAK = '\0 \t\r\n\x85\u2028\u2029';

// ruamel's YAML 1.2 implicit resolvers: a plain scalar matching one of these would load as a
// bool, number, null, timestamp, merge key or value key, so a string like it must be quoted.
const IMPLICIT: readonly (readonly [string, RegExp])[] = [
  ['tTfF', /^(?:true|True|TRUE|false|False|FALSE)$/],
  ['-+0123456789.', /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/],
  ['-+0123456789', /^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$/],
  ['<', /^(?:<<)$/],
  ['~nN', /^(?:~|null|Null|NULL)$/],
  ['0123456789', /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/],
  ['=', /^(?:=)$/],
  ['!&*', /^(?:!|&|\*)$/],
];

/** ruamel only tries the resolvers registered for a scalar's first character. */
const resolvesAsString = (value: string): boolean =>
  value !== '' && !IMPLICIT.some(([first, re]) => first.includes(value[0] ?? '') && re.test(value));

const ESCAPES: Readonly<Record<string, string>> = {
  '\0': '0', '\x07': 'a', '\x08': 'b', '\x09': 't', '\x0A': 'n', '\x0B': 'v', '\x0C': 'f',
  '\x0D': 'r', '\x1B': 'e', '"': '"', '\\': '\\', '\x85': 'N', '\xA0': '_', '\u2028': 'L', '\u2029': 'P',
};

/** Printable for YAML with allow_unicode (ruamel's default), as ruamel decides it. */
function isPrintable(ch: string): boolean {
  if (ch === '\n' || (ch >= '\x20' && ch <= '\x7E')) return true;
  const cp = ch.codePointAt(0) ?? 0;
  if (cp === 0xfeff) return false;
  return cp === 0x85 || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

interface Analysis {
  readonly allowBlockPlain: boolean;
  readonly allowSingleQuoted: boolean;
}

function analyze(chars: readonly string[]): Analysis {
  const text = chars.join('');
  if (chars.length === 0) return { allowBlockPlain: true, allowSingleQuoted: true };
  let blockIndicators = text.startsWith('---') || text.startsWith('...');
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
  let breakSpace = false, spaceBreak = false;
  let precededByWhitespace = true;
  let followedByWhitespace = chars.length === 1 || SPACE_OR_BREAK.includes(chars[1] ?? '');
  let previousSpace = false, previousBreak = false;
  for (let index = 0; index < chars.length; index++) {
    const ch = chars[index] ?? '';
    if (index === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockIndicators = true;
      if ('?:'.includes(ch) && followedByWhitespace) blockIndicators = true;
      if (ch === '-' && followedByWhitespace) blockIndicators = true;
    } else {
      if (ch === ':' && followedByWhitespace) blockIndicators = true;
      if (ch === '#' && precededByWhitespace) blockIndicators = true;
    }
    if (BREAKS.includes(ch)) lineBreaks = true;
    if (!isPrintable(ch)) special = true;
    if (ch === ' ') {
      if (index === 0) leadingSpace = true;
      if (index === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (BREAKS.includes(ch)) {
      if (index === 0) leadingBreak = true;
      if (index === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = SPACE_OR_BREAK.includes(ch);
    followedByWhitespace = index + 2 >= chars.length || SPACE_OR_BREAK.includes(chars[index + 2] ?? '');
  }
  let allowBlockPlain = true;
  let allowSingleQuoted = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) allowBlockPlain = false;
  if (breakSpace) allowBlockPlain = allowSingleQuoted = false;
  if (special || spaceBreak) allowBlockPlain = allowSingleQuoted = false;
  if (lineBreaks || blockIndicators) allowBlockPlain = false;
  return { allowBlockPlain, allowSingleQuoted };
}

/** The emitter's position, shared by the mapping writer and the scalar writers. */
export class YamlWriter {
  out = '';
  column = 0;
  whitespace = true;
  indention = true;
  /** Where a folded line continues; ruamel's `self.indent`. */
  indent = 0;

  write(data: string): void {
    this.out += data;
    this.column += [...data].length;
  }

  lineBreak(data = '\n'): void {
    this.whitespace = true;
    this.indention = true;
    this.column = 0;
    this.out += data;
  }

  writeIndent(): void {
    if (!this.indention || this.column > this.indent || (this.column === this.indent && !this.whitespace)) this.lineBreak();
    if (this.column < this.indent) {
      this.whitespace = true;
      this.out += ' '.repeat(this.indent - this.column);
      this.column = this.indent;
    }
  }

  indicator(text: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    this.write(this.whitespace || !needWhitespace ? text : ` ${text}`);
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
  }

  /** Write a string scalar in the style ruamel would pick; `split` is false for mapping keys. */
  string(value: string, split = true): void {
    const chars = [...value];
    const analysis = analyze(chars);
    if (resolvesAsString(value) && analysis.allowBlockPlain) {
      this.plain(chars, split);
    } else if (value.includes("'") || value.includes('\n') || !analysis.allowSingleQuoted) {
      this.doubleQuoted(chars, split);
    } else {
      this.singleQuoted(chars, split);
    }
  }

  private plain(chars: readonly string[], split: boolean): void {
    if (!this.whitespace) this.write(' ');
    this.whitespace = false;
    this.indention = false;
    let spaces = false;
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = chars[end];
      if (spaces) {
        if (ch !== ' ') {
          if (start + 1 === end && this.column >= BEST_WIDTH && split) {
            this.writeIndent();
            this.whitespace = false;
            this.indention = false;
          } else this.write(chars.slice(start, end).join(''));
          start = end;
        }
      } else if (ch === undefined || ' \n\x85\u2028\u2029'.includes(ch)) {
        const data = chars.slice(start, end).join('');
        if (end - start + this.column > BEST_WIDTH && this.column > this.indent) this.writeIndent();
        this.write(data);
        start = end;
      }
      if (ch !== undefined) spaces = ch === ' ';
    }
  }

  private singleQuoted(chars: readonly string[], split: boolean): void {
    this.indicator("'", true);
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = chars[end];
      if (spaces) {
        if (ch === undefined || ch !== ' ') {
          if (start + 1 === end && this.column > BEST_WIDTH && split && start !== 0 && end !== chars.length) this.writeIndent();
          else this.write(chars.slice(start, end).join(''));
          start = end;
        }
      } else if (breaks) {
        if (ch === undefined || !BREAKS.includes(ch)) {
          if (chars[start] === '\n') this.lineBreak();
          for (const br of chars.slice(start, end)) this.lineBreak(br);
          this.writeIndent();
          start = end;
        }
      } else if (ch === undefined || ' \n\x85\u2028\u2029'.includes(ch) || ch === "'") {
        if (start < end) {
          this.write(chars.slice(start, end).join(''));
          start = end;
        }
      }
      if (ch === "'") {
        this.write("''");
        start = end + 1;
      }
      if (ch !== undefined) {
        spaces = ch === ' ';
        breaks = BREAKS.includes(ch);
      }
    }
    this.indicator("'", false);
  }

  private doubleQuoted(chars: readonly string[], split: boolean): void {
    this.indicator('"', true);
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = chars[end];
      if (ch === undefined || '"\\\x85\u2028\u2029\uFEFF'.includes(ch) || !(ch >= '\x20' && ch <= '\x7E') && !isUnicodeText(ch)) {
        if (start < end) {
          this.write(chars.slice(start, end).join(''));
          start = end;
        }
        if (ch !== undefined) {
          this.write(escapeChar(ch));
          start = end + 1;
        }
      }
      if (end > 0 && end < chars.length - 1 && (ch === ' ' || start >= end) && this.column + (end - start) > BEST_WIDTH && split) {
        const needBackslash = doubleQuotedNeedsBackslash(chars, start, end);
        this.write(chars.slice(start, end).join('') + (needBackslash ? '\\' : ''));
        if (start < end) start = end;
        this.writeIndent();
        this.whitespace = false;
        this.indention = false;
        if (chars[start] === ' ') {
          if (!needBackslash) start += 1;
          this.write(needBackslash ? '\\' : '');
        }
      }
    }
    this.indicator('"', false);
  }
}

function isUnicodeText(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  return (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

function escapeChar(ch: string): string {
  const named = ESCAPES[ch];
  if (named !== undefined) return `\\${named}`;
  const cp = ch.codePointAt(0) ?? 0;
  if (cp <= 0xff) return `\\x${cp.toString(16).toUpperCase().padStart(2, '0')}`;
  if (cp <= 0xffff) return `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return `\\U${cp.toString(16).toUpperCase().padStart(8, '0')}`;
}

/** ruamel's rule for whether a folded double-quoted line must end in a backslash. */
function doubleQuotedNeedsBackslash(chars: readonly string[], start: number, end: number): boolean {
  const spacePos = chars.indexOf(' ', end);
  if (spacePos < 0) return true;
  const breakPos = chars.slice(end, spacePos).indexOf('\n');
  const pos = breakPos >= 0 ? end + breakPos : spacePos;
  const next = chars[pos + 1];
  if (next === undefined) return true; // Python raises IndexError here, which keeps the backslash
  if (chars[pos] === '\n' && next !== ' ') return true;
  const between = chars.slice(end, pos);
  if (!between.includes('"') && !between.includes("'") && !' \n'.includes(next) && !(chars[end - 1] === ' ' && chars[end] === ' ') && start !== end) return false;
  return true;
}
