import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelCard } from './cards.js';
import type { CardFacts } from './facts.js';
import { cardMarkdown } from './markdown.js';
import { EMPTY_SECTIONS } from './sections.js';

const FACTS: CardFacts = {
  modelVersion: 7,
  description: null,
  trainingData: [{ name: 'sales|eu', version: null, digest: 'ab`c', source: 'line one\nline two', sourceType: null }],
  trainingRun: { runId: 'r1', runName: '', userId: 'ann', metrics: [{ key: 'rmse', value: 0.123456789 }, { key: 'mae', value: Number.NaN }] },
  gateEvaluations: [{ runId: 'g1', passed: false, championVersion: '6', startTime: Date.UTC(2026, 0, 2, 3, 4, 5), metrics: [] }],
  owners: [{ user: 'ann', role: 'trained the version' }],
  signature: { inputs: [{ name: 'x', type: 'double' }], outputs: [{ name: null, type: 'tensor float32 [-1, 2]' }] },
  aliases: [],
  deployments: [{ name: 'prod', status: 'READY', routes: [{ version: '7', weight: 100 }], shadow: null, servesVersion: true }],
};

test('a card never saved says so, and shows every section with cairn’s records', () => {
  const card: ModelCard = { name: 'sales', revision: null, sections: EMPTY_SECTIONS, facts: FACTS };
  const md = cardMarkdown(card);
  assert.ok(md.startsWith('# Model card: sales\n\nNo revision of this card has been saved yet.\n\n## Model details\n'), md);
  assert.equal(md.match(/_Not written yet\._/g)?.length, 8);
  assert.match(md, /- Deployments serving this version: prod \(READY\)\n/);
  assert.match(md, /\| output \| — \| tensor float32 \[-1, 2\] \|/);
});

test('recorded values cannot break the tables: pipes and line breaks are escaped, backticks fenced', () => {
  const md = cardMarkdown({ name: 'sales', revision: null, sections: EMPTY_SECTIONS, facts: FACTS });
  assert.match(md, /\| sales\\\|eu \| — \| `` ab`c `` \| line one line two \|\n/);
  assert.match(md, /\| rmse \| 0\.123457 \|/);
  assert.match(md, /\| mae \| NaN \|/);
  assert.match(md, /Gate evaluation `g1` on 2026-01-02T03:04:05Z: failed against version 6\./);
});

test('the authors’ text appears as written under its heading, with the revision named at the top', () => {
  const card: ModelCard = {
    name: 'sales',
    revision: { name: 'sales', revision: 4, modelVersion: 7, author: 'ann', createdAt: Date.UTC(2026, 4, 1) },
    sections: { ...EMPTY_SECTIONS, limitations: '- only EU\n- only 2025', notes: '  trimmed  ' },
    facts: FACTS,
  };
  const md = cardMarkdown(card);
  assert.match(md, /^# Model card: sales\n\nRevision 4 \(for version 7\), saved 2026-05-01T00:00:00Z by ann\.\n/);
  assert.match(md, /## Limitations\n\n- only EU\n- only 2025\n\n## Ethical considerations and risks/);
  assert.match(md, /## Notes\n\ntrimmed\n$/);
});
