/**
 * DVC's config files (`.dvc/config`, `.dvc/config.local`): configobj-style INI with sections such
 * as `[core]` and `['remote "name"']`, and `    key = value` lines. Reading keeps section and key
 * order so a rewrite changes only what was set.
 */

/** Sections in file order; each a map of options in file order. */
export type ConfigSections = Map<string, Map<string, string>>;

function unquote(text: string): string {
  const t = text.trim();
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t.endsWith(t[0])) return t.slice(1, -1);
  return t;
}

/** Parse a config file's text. Comment lines and blank lines are dropped. */
export function parseConfig(text: string): ConfigSections {
  const sections: ConfigSections = new Map();
  let current: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.*)\]$/.exec(line);
    if (header) {
      const name = unquote(header[1] ?? '');
      current = sections.get(name) ?? new Map<string, string>();
      sections.set(name, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0 || current === undefined) continue;
    current.set(line.slice(0, eq).trim(), unquote(line.slice(eq + 1)));
  }
  return sections;
}

/** configobj quotes a section name that holds quotes or spaces. */
function sectionHeader(name: string): string {
  if (!/["' ]/.test(name)) return `[${name}]`;
  return name.includes("'") ? `["${name}"]` : `['${name}']`;
}

/** Serialise sections the way DVC (configobj) writes them. */
export function serializeConfig(sections: ConfigSections): string {
  let out = '';
  // DVC writes [core] first whatever order options were set in.
  const ordered = [...sections].sort(([a], [b]) => Number(b === 'core') - Number(a === 'core'));
  for (const [name, options] of ordered) {
    if (options.size === 0) continue;
    out += `${sectionHeader(name)}\n`;
    for (const [key, value] of options) out += `    ${key} = ${value}\n`;
  }
  return out;
}

/** The section name DVC uses for a remote. */
export const remoteSection = (name: string): string => `remote "${name}"`;

/** Overlay `local` on `base`, option by option, as DVC merges config.local over config. */
export function mergeConfig(base: ConfigSections, local: ConfigSections): ConfigSections {
  const merged: ConfigSections = new Map([...base].map(([k, v]) => [k, new Map(v)]));
  for (const [name, options] of local) {
    const target = merged.get(name) ?? new Map<string, string>();
    for (const [k, v] of options) target.set(k, v);
    merged.set(name, target);
  }
  return merged;
}
