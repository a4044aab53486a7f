/**
 * A small Markdown renderer for card sections that builds React elements and never HTML strings:
 * whatever an author types is shown as text, so a card cannot inject markup or script. It knows
 * headings, bullet and numbered lists, fenced code, paragraphs, and inline code, bold, emphasis
 * and links (http and https only; any other link is shown as its text).
 */
import type { ReactNode } from 'react';

type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'code'; text: string }
  | { kind: 'paragraph'; text: string };

const HEADING = /^(#{1,6})\s+(.*)$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d{1,9}[.)]\s+(.*)$/;
const FENCE = /^\s*```/;

/** Split the text into blocks, line by line. */
function parseBlocks(source: string): Block[] {
  const blocks: Block[] = [];
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let paragraph: string[] = [];
  const endParagraph = (): void => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', text: paragraph.join(' ') });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (FENCE.test(line)) {
      endParagraph();
      const code: string[] = [];
      for (i++; i < lines.length && !FENCE.test(lines[i] ?? ''); i++) code.push(lines[i] ?? '');
      blocks.push({ kind: 'code', text: code.join('\n') });
      continue;
    }
    const heading = HEADING.exec(line);
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (heading) {
      endParagraph();
      blocks.push({ kind: 'heading', level: heading[1]?.length ?? 1, text: heading[2] ?? '' });
    } else if (bullet || numbered) {
      endParagraph();
      const ordered = numbered !== null;
      const item = (bullet ?? numbered)?.[1] ?? '';
      const last = blocks[blocks.length - 1];
      if (last?.kind === 'list' && last.ordered === ordered) last.items.push(item);
      else blocks.push({ kind: 'list', ordered, items: [item] });
    } else if (line.trim() === '') {
      endParagraph();
    } else {
      const last = blocks[blocks.length - 1];
      // An indented line right after a list item continues that item.
      if (paragraph.length === 0 && last?.kind === 'list' && /^\s+\S/.test(line)) last.items[last.items.length - 1] += ` ${line.trim()}`;
      else paragraph.push(line.trim());
    }
  }
  endParagraph();
  return blocks;
}

// Underscores emphasise only at word edges (snake_case and __dunder__ names stay as typed), as in CommonMark.
const INLINE = /`([^`]+)`|\*\*([^*]+)\*\*|(?<!\w)__([^_]+)__(?!\w)|\*([^*\s][^*]*)\*|(?<!\w)_([^_\s][^_]*)_(?!\w)|\[([^\]]+)\]\(([^)\s]+)\)/;

/** Only absolute http(s) URLs become links: `javascript:`, `data:` and relative URLs stay text. */
export function safeHref(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** Inline spans, as React nodes. */
function renderInline(text: string, key: string): ReactNode[] {
  const out: ReactNode[] = [];
  let rest = text;
  let n = 0;
  while (rest.length > 0) {
    const m = INLINE.exec(rest);
    if (!m) {
      out.push(rest);
      break;
    }
    if (m.index > 0) out.push(rest.slice(0, m.index));
    const k = `${key}.${n++}`;
    const [, code, bold1, bold2, em1, em2, label, url] = m;
    if (code !== undefined) out.push(<code key={k}>{code}</code>);
    else if (bold1 !== undefined || bold2 !== undefined) out.push(<strong key={k}>{renderInline(bold1 ?? bold2 ?? '', k)}</strong>);
    else if (em1 !== undefined || em2 !== undefined) out.push(<em key={k}>{renderInline(em1 ?? em2 ?? '', k)}</em>);
    else if (label !== undefined) {
      const href = safeHref(url ?? '');
      out.push(href ? <a key={k} href={href} target="_blank" rel="noopener noreferrer nofollow">{renderInline(label, k)}</a> : <span key={k}>{m[0]}</span>);
    }
    rest = rest.slice(m.index + m[0].length);
  }
  return out;
}

/** A section's Markdown, rendered safely. Headings start at h4 so they sit below the section's own title. */
export function ModelCardMarkdown({ text }: { text: string }) {
  const blocks = parseBlocks(text);
  return (
    <div className="card-markdown">
      {blocks.map((b, i) => {
        const key = String(i);
        switch (b.kind) {
          case 'heading': {
            const Tag = (['h4', 'h5', 'h6'] as const)[Math.min(b.level, 3) - 1] ?? 'h6';
            return <Tag key={key}>{renderInline(b.text, key)}</Tag>;
          }
          case 'list': {
            const items = b.items.map((item, j) => <li key={j}>{renderInline(item, `${key}.${j}`)}</li>);
            return b.ordered ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>;
          }
          case 'code':
            return <pre key={key}><code>{b.text}</code></pre>;
          case 'paragraph':
            return <p key={key}>{renderInline(b.text, key)}</p>;
        }
      })}
    </div>
  );
}
