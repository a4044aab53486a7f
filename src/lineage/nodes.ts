/** Lineage node ids: parse and check them, so a bad id is a clear 400 and never a silent miss. */
import { invalid } from '../core/errors.js';
import { LINEAGE_NODE_TYPES, type LineageNodeId, type LineageNodeType } from '../core/lineage.js';

/** A node id taken apart: its type and the parts that name it. */
export interface ParsedNode {
  readonly id: LineageNodeId;
  readonly type: LineageNodeType;
  /** The part after `type:` (a run id, `name@digest`, `name/version`, ...). */
  readonly key: string;
}

const FORMS: Readonly<Record<LineageNodeType, string>> = {
  dataset: 'dataset:<name>@<digest>',
  run: 'run:<run id>',
  logged_model: 'logged_model:<model id>',
  model_version: 'model_version:<name>/<version>',
  deployment: 'deployment:<name>',
  pipeline_step: 'pipeline_step:<id>',
  feature_view: 'feature_view:<name>',
};

const isNodeType = (value: string): value is LineageNodeType => (LINEAGE_NODE_TYPES as readonly string[]).includes(value);

/** Parse a node id, or throw INVALID_PARAMETER_VALUE naming the accepted forms. */
export function parseNodeId(id: string, field = 'node'): ParsedNode {
  const colon = id.indexOf(':');
  const type = colon > 0 ? id.slice(0, colon) : '';
  const key = id.slice(colon + 1);
  if (!isNodeType(type)) {
    throw invalid(`Invalid value '${id}' for parameter '${field}': a lineage node is one of ${Object.values(FORMS).join(', ')}`);
  }
  const ok =
    key.length > 0 &&
    (type === 'dataset' ? /^.+@[^@]+$/.test(key) : type === 'model_version' ? /^.+\/[1-9][0-9]*$/.test(key) : true);
  if (!ok || id.length > 1000) throw invalid(`Invalid value '${id}' for parameter '${field}': expected ${FORMS[type]}`);
  return { id, type, key };
}
