/**
 * Label mapping of the cross-encoder relation backend: which of a classifier's outputs (named by
 * config.json `id2label`) is which of our relations, and its logits turned into probabilities
 * in our order [synonym, antonym, co-hyponym].
 *
 * Mapping, in order of precedence:
 * 1. an explicit map (model label name -> relation), e.g. from `--relations-labels`. Every key
 *    must be a label of the model; each relation must come from exactly one model label; model
 *    labels the map does not mention are dropped (a 4th `unrelated` class, say).
 * 2. else config.json's own names, when they already are relation names, compared
 *    case-insensitively with `_`/space as `-`: `synonym`, `antonym`, `co-hyponym` (also
 *    `cohyponym`, `co_hyponym`); names in DROPPED_NAMES (`unrelated`, `none`, ...) are dropped.
 * 3. else a `ModelError` naming the folder, listing the model's labels and how to map them.
 *
 * Probabilities are the softmax over ALL the model's logits, dropped classes included, so with a
 * dropped class the three returned probabilities sum to less than 1 (the rest is the dropped
 * classes' share): a pair the model calls `unrelated` scores low on all three relations.
 */
import { ModelError } from '../embed/types.js';
import { RELATION_LABELS, type RelationLabel } from '../types.js';

/** Model label names (normalised as below) that mean "none of our relations": dropped. */
export const DROPPED_NAMES: ReadonlySet<string> = new Set(['unrelated', 'none', 'other', 'random', 'no-relation']);

/** How a model's outputs map onto our relations. */
export interface LabelMapping {
  /** Model label name -> relation, for the mapped labels only. */
  labels: Record<string, RelationLabel>;
  /** Per model output index: the column (index in RELATION_LABELS) it feeds, or -1 if dropped. */
  columns: Int8Array;
}

/** The model's label names in output order, from config.json `id2label` ({"0": name, ...}). */
export function modelLabels(folder: string, config: Record<string, unknown>): string[] {
  const id2label = config.id2label;
  if (id2label === null || typeof id2label !== 'object' || Array.isArray(id2label)) {
    throw new ModelError(folder, 'config.json has no id2label: a sequence-classification model must name its output classes');
  }
  const entries = Object.entries(id2label as Record<string, unknown>);
  const names: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const name = (id2label as Record<string, unknown>)[String(i)];
    if (typeof name !== 'string' || name.length === 0) {
      throw new ModelError(folder, `config.json id2label must name outputs 0..${entries.length - 1} (keys "0", "1", ...) with non-empty strings; output ${i} has none`);
    }
    names.push(name);
  }
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw new ModelError(folder, `config.json id2label names two outputs "${duplicate}"`);
  if (names.length < RELATION_LABELS.length) {
    throw new ModelError(folder, `the model has ${names.length} output classes (${listLabels(names)}); a relation model needs one per relation (${RELATION_LABELS.join(', ')})`);
  }
  return names;
}

/** A config.json label name as a relation, `null` when it means "no relation", else undefined. */
function ownName(name: string): RelationLabel | null | undefined {
  const n = name.trim().toLowerCase().replace(/[\s_]+/g, '-');
  if (n === 'synonym' || n === 'antonym' || n === 'co-hyponym') return n;
  if (n === 'cohyponym') return 'co-hyponym';
  return DROPPED_NAMES.has(n) ? null : undefined;
}

function listLabels(names: readonly string[]): string {
  return names.map((n, i) => `${i} "${n}"`).join(', ');
}

function howToMap(names: readonly string[]): string {
  const example = names.slice(0, RELATION_LABELS.length).map((n, i) => `${n}=${RELATION_LABELS[i]}`).join(',');
  return (
    `map each relation to the model label that means it (see the model's documentation), ` +
    `e.g. --relations-labels '${example}' (labels not mentioned are dropped), ` +
    `or rename id2label in config.json to synonym, antonym, co-hyponym`
  );
}

/**
 * Maps the model's labels (`names`, in output order) onto our relations, from `explicit` if
 * given, else from the names themselves (see the module comment). Throws `ModelError` naming
 * `folder` when the mapping is unusable.
 */
export function mapLabels(folder: string, names: readonly string[], explicit?: Readonly<Record<string, RelationLabel>>): LabelMapping {
  const columns = new Int8Array(names.length).fill(-1);
  const labels: Record<string, RelationLabel> = {};
  const assign = (index: number, relation: RelationLabel): void => {
    const column = RELATION_LABELS.indexOf(relation);
    const taken = columns.indexOf(column);
    if (taken !== -1) {
      throw new ModelError(folder, `two model labels map to ${relation} ("${names[taken]}" and "${names[index]}"); each relation needs exactly one (model labels: ${listLabels(names)})`);
    }
    columns[index] = column;
    labels[names[index]] = relation;
  };

  if (explicit !== undefined) {
    for (const [name, relation] of Object.entries(explicit)) {
      const index = names.indexOf(name);
      if (index === -1) throw new ModelError(folder, `the label map names "${name}", which is not a label of the model (model labels: ${listLabels(names)})`);
      if (!RELATION_LABELS.includes(relation)) {
        throw new ModelError(folder, `the label map sends "${name}" to "${String(relation)}", which is not a relation (${RELATION_LABELS.join(', ')})`);
      }
      assign(index, relation);
    }
  } else {
    const unknown = names.filter((n) => ownName(n) === undefined);
    if (unknown.length > 0) {
      throw new ModelError(folder, `cannot tell which model label is which relation: config.json id2label has ${listLabels(names)}; ${howToMap(names)}`);
    }
    names.forEach((n, i) => {
      const relation = ownName(n);
      if (relation) assign(i, relation);
    });
  }

  const missing = RELATION_LABELS.filter((_, column) => !columns.includes(column));
  if (missing.length > 0) {
    throw new ModelError(folder, `no model label maps to ${missing.join(', ')} (model labels: ${listLabels(names)}); ${howToMap(names)}`);
  }
  return { labels, columns };
}

/**
 * Probabilities in our order: for each row of `logits` (row-major, `columns.length` per row),
 * the softmax over all of the row's logits, gathered into RELATION_LABELS order through
 * `columns` (dropped outputs only count in the softmax's denominator). Computed in float64.
 */
export function relationProbabilities(logits: Float32Array, columns: Int8Array): Float64Array {
  const width = columns.length;
  const rows = logits.length / width;
  const out = new Float64Array(rows * RELATION_LABELS.length);
  for (let r = 0; r < rows; r++) {
    const row = logits.subarray(r * width, (r + 1) * width);
    let max = -Infinity;
    for (const x of row) max = Math.max(max, x);
    let sum = 0;
    for (const x of row) sum += Math.exp(x - max);
    for (let k = 0; k < width; k++) {
      if (columns[k] >= 0) out[r * RELATION_LABELS.length + columns[k]] = Math.exp(row[k] - max) / sum;
    }
  }
  return out;
}
