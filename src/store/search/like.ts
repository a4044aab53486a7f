/**
 * LIKE patterns, made to mean the same on both engines. `%` is any run, `_` any one character,
 * and a backslash makes the next character literal (PostgreSQL's default LIKE escape). MLflow's
 * LIKE is case-sensitive and ILIKE is not; SQLite's LIKE ignores ASCII case, so a case-sensitive
 * LIKE on SQLite becomes GLOB, which also still uses an index on the column for a fixed prefix.
 */

type Piece = { readonly kind: 'any' } | { readonly kind: 'one' } | { readonly kind: 'text'; readonly text: string };

/** Split a LIKE pattern into wildcards and literal text. */
export function likePieces(pattern: string): Piece[] {
  const pieces: Piece[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') pieces.push({ kind: 'text', text });
    text = '';
  };
  for (let at = 0; at < pattern.length; at++) {
    const char = pattern[at] as string;
    if (char === '\\' && at + 1 < pattern.length) {
      text += pattern[++at];
    } else if (char === '%') {
      flush();
      pieces.push({ kind: 'any' });
    } else if (char === '_') {
      flush();
      pieces.push({ kind: 'one' });
    } else {
      text += char;
    }
  }
  flush();
  return pieces;
}

/** The pattern for `LIKE ... ESCAPE '\'` (SQLite) or PostgreSQL LIKE/ILIKE, whose default escape is `\`. */
export function toLikePattern(pattern: string): string {
  return likePieces(pattern)
    .map((piece) => (piece.kind === 'any' ? '%' : piece.kind === 'one' ? '_' : piece.text.replace(/[\\%_]/g, (c) => `\\${c}`)))
    .join('');
}

/** The same pattern for SQLite's case-sensitive GLOB: `*`, `?`, and literals bracketed. */
export function toGlobPattern(pattern: string): string {
  return likePieces(pattern)
    .map((piece) => (piece.kind === 'any' ? '*' : piece.kind === 'one' ? '?' : piece.text.replace(/[*?[]/g, (c) => `[${c}]`)))
    .join('');
}
