/**
 * Signature compatibility between two model versions: which inputs and outputs were added,
 * removed or retyped, and whether a caller written for the old version can call the new one
 * unchanged — it still sends what the old one accepted, and still reads what it returned.
 */
import { describeType, specsOf, type ColumnSpec, type Schema, type Signature, type TensorSpec } from './signature.js';
import { elementKind } from './tensors.js';

/** One difference between the versions. */
export interface SignatureChange {
  readonly side: 'input' | 'output';
  readonly name: string;
  readonly change: 'added' | 'removed' | 'retyped' | 'now required' | 'now optional';
  readonly from: string | null;
  readonly to: string | null;
  /** Why an old caller breaks, or null when it does not. */
  readonly breaks: string | null;
}

/** A remark about a whole side: it breaks old callers, leaves the answer unknown, or neither. */
export interface SignatureNote {
  readonly text: string;
  readonly effect: 'breaks' | 'unknown';
}

/** The full comparison. `compatible` is null when a side has no signature to compare. */
export interface SignatureDiff {
  readonly changes: readonly SignatureChange[];
  readonly compatible: boolean | null;
  readonly notes: readonly SignatureNote[];
}

type Spec = ColumnSpec | TensorSpec;

/** Compare the signature of an old version with a new one. */
export function diffSignatures(before: Signature, after: Signature): SignatureDiff {
  const notes: SignatureNote[] = [];
  const changes = [...diffSide('input', before.inputs, after.inputs, notes), ...diffSide('output', before.outputs, after.outputs, notes)];
  const [oldOutputs, newOutputs] = [specsOf(before.outputs).length, specsOf(after.outputs).length];
  if (oldOutputs > 0 && newOutputs > 0 && (oldOutputs === 1) !== (newOutputs === 1)) {
    const shape = (n: number): string => (n === 1 ? 'one value per row' : 'one record per row');
    notes.push({ text: `the response changes from ${shape(oldOutputs)} to ${shape(newOutputs)}`, effect: 'breaks' });
  }
  const unknown = notes.some((n) => n.effect === 'unknown');
  const breaking = changes.some((c) => c.breaks !== null) || notes.some((n) => n.effect === 'breaks');
  return { changes, compatible: breaking ? false : unknown ? null : true, notes };
}

function diffSide(side: 'input' | 'output', before: Schema | null, after: Schema | null, notes: SignatureNote[]): SignatureChange[] {
  if (before === null && after === null) return [];
  if (before === null || after === null) {
    notes.push({ text: `the ${before === null ? 'old' : 'new'} version has no signature for its ${side}s, so cairn cannot check them`, effect: 'unknown' });
    return [];
  }
  if (before.kind !== after.kind) notes.push({ text: `the ${side}s change from ${before.kind} to ${after.kind}`, effect: 'breaks' });
  const key = (s: Spec, i: number): string => s.name ?? `#${i}`;
  const old = new Map(specsOf(before).map((s, i) => [key(s, i), s]));
  const next = new Map(specsOf(after).map((s, i) => [key(s, i), s]));
  const changes: SignatureChange[] = [];
  for (const [name, spec] of next) {
    const was = old.get(name);
    if (!was) {
      const required = spec.kind === 'tensor' || spec.required;
      const breaks = side === 'input' && required ? 'old callers do not send it' : null;
      changes.push({ side, name, change: 'added', from: null, to: describe(spec), breaks });
      continue;
    }
    if (describeType(was) !== describeType(spec)) {
      const ok = side === 'input' ? accepts(spec, was) : accepts(was, spec);
      const breaks = ok ? null : side === 'input' ? `values old callers send as ${describeType(was)} are not valid ${describeType(spec)}` : `old callers expect ${describeType(was)}`;
      changes.push({ side, name, change: 'retyped', from: describeType(was), to: describeType(spec), breaks });
    }
    if (was.kind === 'column' && spec.kind === 'column' && was.required !== spec.required) {
      const breaks = side === 'input' && spec.required ? 'old callers may leave it out' : null;
      changes.push({ side, name, change: spec.required ? 'now required' : 'now optional', from: null, to: null, breaks });
    }
  }
  for (const [name, spec] of old) {
    if (next.has(name)) continue;
    // Extra input columns are ignored by the scoring server, so dropping an input breaks nobody.
    const breaks = side === 'output' ? 'old callers read it' : null;
    changes.push({ side, name, change: 'removed', from: describe(spec), to: null, breaks });
  }
  return changes;
}

function describe(spec: Spec): string {
  return spec.kind === 'column' ? `${describeType(spec)}${spec.required ? '' : ' (optional)'}` : describeType(spec);
}

/** Does every value valid for `narrow` also pass a check against `wide`? */
function accepts(wide: Spec, narrow: Spec): boolean {
  if (wide.kind === 'column' && narrow.kind === 'column') {
    const w = typeof wide.type === 'string' ? wide.type : wide.type.other;
    const n = typeof narrow.type === 'string' ? narrow.type : narrow.type.other;
    if (w === n) return true;
    if (w === 'float' || w === 'double') return ['integer', 'long', 'float', 'double'].includes(n);
    return w === 'long' && n === 'integer';
  }
  if (wide.kind === 'tensor' && narrow.kind === 'tensor') {
    const w = elementKind(wide.dtype);
    const n = elementKind(narrow.dtype);
    const dtypeOk = wide.dtype === narrow.dtype || (w === 'float' && (n === 'float' || n === 'int')) || (w === 'int' && n === 'int' && bits(wide.dtype) >= bits(narrow.dtype));
    const shapeOk = wide.shape.length === narrow.shape.length && wide.shape.every((d, i) => d === -1 || d === narrow.shape[i]);
    return dtypeOk && shapeOk;
  }
  return false;
}

const bits = (dtype: string): number => Number(/(\d+)$/.exec(dtype)?.[1] ?? 64);
