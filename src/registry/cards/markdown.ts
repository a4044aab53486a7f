/** A model card as one Markdown document: the authors' sections, each with what cairn recorded beside it. */
import type { ModelCard } from './cards.js';
import type { CardFacts, MetricValue } from './facts.js';
import { CARD_SECTIONS, SECTION_TITLES, type CardSection } from './sections.js';

/** Text from the database inside a table cell: a pipe or a line break would end the cell. */
function cell(text: string | number | null | undefined): string {
  if (text === null || text === undefined || text === '') return '—';
  return String(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Inline code that holds any text: the fence is one backtick longer than the longest run inside. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return longest > 0 ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/** Metric values as the run logged them; 6 significant digits read well and round-trip typical scores. */
function metricTable(metrics: readonly MetricValue[]): string[] {
  return table(['Metric', 'Value'], [...metrics].sort((a, b) => a.key.localeCompare(b.key)).map((m) => [cell(m.key), cell(Number.isFinite(m.value) ? Number(m.value.toPrecision(6)) : String(m.value))]));
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function recordedTrainingData(facts: CardFacts): string[] {
  if (facts.trainingData.length === 0) return ['No dataset versions are recorded upstream of this version in the lineage graph.'];
  return table(['Dataset', 'Version', 'Digest', 'Source'], facts.trainingData.map((d) => [cell(d.name), cell(d.version), code(d.digest), cell(d.source)]));
}

function recordedEvaluation(facts: CardFacts): string[] {
  const lines: string[] = [];
  const run = facts.trainingRun;
  if (run) lines.push(`Metrics of the run that produced the version, ${code(run.runId)}${run.runName ? ` (${cell(run.runName)})` : ''}:`, '', ...(run.metrics.length > 0 ? metricTable(run.metrics) : ['The run logged no metrics.']));
  else lines.push('No run is recorded for this version.');
  for (const gate of facts.gateEvaluations) {
    lines.push('', `Gate evaluation ${code(gate.runId)} on ${iso(gate.startTime)}: ${gate.passed ? 'passed' : 'failed'}${gate.championVersion ? ` against version ${cell(gate.championVersion)}` : ''}.`, '', ...metricTable(gate.metrics));
  }
  return lines;
}

function recordedOwners(facts: CardFacts): string[] {
  if (facts.owners.length === 0) return ['cairn has no record of who created or manages this model.'];
  return facts.owners.map((o) => `- ${cell(o.user)} (${o.role})`);
}

/** What cairn recorded for the sections it knows something about. */
const RECORDED: Partial<Record<CardSection, (facts: CardFacts) => string[]>> = {
  training_data: recordedTrainingData,
  evaluation: recordedEvaluation,
  owners: recordedOwners,
};

function details(card: ModelCard): string[] {
  const f = card.facts;
  const lines = ['## Model details', ''];
  if (f.description) lines.push(f.description, '');
  lines.push(`- Model version described: ${f.modelVersion ?? 'none (the model has no versions)'}`);
  lines.push(`- Aliases: ${f.aliases.length === 0 ? 'none' : f.aliases.map((a) => `@${cell(a.alias)} → version ${a.version}`).join(', ')}`);
  const live = f.deployments.filter((d) => d.servesVersion);
  lines.push(`- Deployments serving this version: ${live.length === 0 ? 'none' : live.map((d) => `${cell(d.name)} (${d.status})`).join(', ')}`);
  if (f.signature) {
    lines.push('', '### Signature', '');
    const rows = [...f.signature.inputs.map((x) => ['input', cell(x.name), cell(x.type)]), ...f.signature.outputs.map((x) => ['output', cell(x.name), cell(x.type)])];
    lines.push(...table(['Side', 'Name', 'Type'], rows));
  }
  return lines;
}

/** The card as Markdown: a header naming the revision, model details, then each section with cairn's records. */
export function cardMarkdown(card: ModelCard): string {
  const r = card.revision;
  const saved = r
    ? `Revision ${r.revision}${r.modelVersion === null ? '' : ` (for version ${r.modelVersion})`}, saved ${iso(r.createdAt)}${r.author ? ` by ${cell(r.author)}` : ''}.`
    : 'No revision of this card has been saved yet.';
  const lines = [`# Model card: ${card.name}`, '', saved, '', ...details(card)];
  for (const section of CARD_SECTIONS) {
    lines.push('', `## ${SECTION_TITLES[section]}`, '');
    const text = card.sections[section].trim();
    lines.push(text === '' ? '_Not written yet._' : text);
    const recorded = RECORDED[section];
    if (recorded) lines.push('', `### Recorded by cairn`, '', ...recorded(card.facts));
  }
  return `${lines.join('\n')}\n`;
}
