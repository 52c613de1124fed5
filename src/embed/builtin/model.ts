/**
 * The trained builtin embedder and how it gives any string a vector: known lemmas and phrases
 * use their own vectors, every word adds its character n-grams (so unseen and misspelt words are
 * covered), and a multiword term averages its words.
 */
import { Lemmatizer } from '../../lexicon/lemmatize.js';
import { normalizeTerm } from '../../lexicon/normalize.js';
import { hash32, mulberry32 } from '../../util/random.js';
import { GrowableInt32 } from '../../util/growable.js';
import { addonWith, type Engine } from '../../util/native-addon.js';
import type { TrainingDocument } from './corpus.js';
import { applyMetric, type SynonymMetric } from './metric.js';
import { tokenize } from './tokenize.js';
import {
  countCooccurrences,
  DEFAULT_BUILTIN_CONFIG,
  ngramBuckets,
  ngramVectors,
  toPpmi,
  wordVectors,
  type BuiltinConfig,
  type EncodedDocument,
} from './train.js';

export interface BuiltinModel {
  config: BuiltinConfig;
  /** Lemmas and multiword heads, sorted (ids are positions). */
  vocab: string[];
  vectors: Float32Array;
  ngrams: Float32Array;
  /** Synonym metric applied to every final vector (learned from known synonym pairs), or none. */
  metric: SynonymMetric | null;
}

export interface TrainReport {
  vocabulary: number;
  nonZeros: number;
  seconds: { lemmatize: number; count: number; vectors: number; ngrams: number };
}

export async function trainBuiltin(docs: readonly TrainingDocument[], options: { config?: Partial<BuiltinConfig> } = {}): Promise<{ model: BuiltinModel; report: TrainReport }> {
  const config = { ...DEFAULT_BUILTIN_CONFIG, ...options.config };
  let t = performance.now();
  const types = new Set<string>();
  const phrases = new Set<string>();
  for (const d of docs) {
    for (const w of d.tokens) types.add(w);
    for (const h of d.heads) (h.includes(' ') ? phrases : types).add(h);
  }
  const typeList = [...types].sort();
  // In-process: the shipped lemma table was built from exactly these texts, so nearly every type
  // is a lookup; a worker pool would spend more on start-up and copying than on the few misses.
  const lemmatizer = new Lemmatizer();
  const lemmas = typeList.map((w) => lemmatizer.lemmatizeWord(w));
  const vocab = [...new Set([...lemmas, ...phrases])].sort();
  const id = new Map<string, number>();
  vocab.forEach((w, i) => id.set(w, i));
  // Each type and phrase straight to its vocabulary id (a type's is its lemma's): one lookup a
  // token. Two (type -> lemma -> id) through Int32Array.from's iterator took 6 s of the training
  // (profiled); its lemmatize step went from 10.9-11.9 s to 6.9-7.6 s, the same model.
  const idOf = new Map<string, number>();
  typeList.forEach((w, i) => idOf.set(w, id.get(lemmas[i]) as number));
  for (const p of phrases) idOf.set(p, id.get(p) as number);
  const ids = (words: readonly string[]): Int32Array => {
    const out = new Int32Array(words.length);
    for (let i = 0; i < words.length; i++) out[i] = idOf.get(words[i]) as number;
    return out;
  };
  const encoded: EncodedDocument[] = docs.map((d) => ({ heads: ids(d.heads), tokens: ids(d.tokens) }));
  const lemmatizeSeconds = (performance.now() - t) / 1000;

  t = performance.now();
  const m = countCooccurrences(encoded, vocab.length, config);
  toPpmi(m, config.alpha);
  const countSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const vectors = wordVectors(m, config);
  const vectorSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const weights = new Float32Array(vocab.length);
  for (let w = 0; w < vocab.length; w++) weights[w] = m.offsets[w + 1] > m.offsets[w] && !vocab[w].includes(' ') ? 1 : 0;
  const ngrams = ngramVectors(vocab, vectors, weights, config);
  return {
    model: { config, vocab, vectors, ngrams, metric: null },
    report: {
      vocabulary: vocab.length,
      nonZeros: m.columns.length,
      seconds: { lemmatize: lemmatizeSeconds, count: countSeconds, vectors: vectorSeconds, ngrams: (performance.now() - t) / 1000 },
    },
  };
}

/**
 * Lemma of a token: the shipped lemma table first; for a word outside it, the longest prefix
 * (>= 4 letters) that the model knows, since Turkish inflects by suffixes. The analyser itself
 * is not asked: at ~1 ms per unknown word it would dominate embedding millions of terms.
 */
function lemmaOf(token: string, lemmatizer: Lemmatizer, id: ReadonlyMap<string, number>): string {
  const known = lemmatizer.knownLemma(token);
  if (known !== undefined) return known;
  for (let end = token.length - 1; end >= 4; end--) {
    const prefix = token.slice(0, end);
    if (id.has(prefix)) return prefix;
  }
  return token;
}

/**
 * Whether the model knows a term from its training text, not only by its spelling: the phrase or
 * one of its words' lemmas has a vector of its own (a non-zero row). A string it does not know is
 * embedded from hashed character n-grams alone, which places unrelated unknown words close together
 * (at a1e1b51 31 such KeNet terms held 8-10 kept synonym edges each, `hypericales` / `percoidei` 0.98).
 */
export function ownVectorTest(vocab: readonly string[], vectors: Float32Array, dims: number): (term: string) => boolean {
  const id = new Map<string, number>();
  vocab.forEach((w, i) => id.set(w, i));
  const lemmatizer = new Lemmatizer();
  const own = (w: string): boolean => {
    const i = id.get(w);
    if (i === undefined) return false;
    for (let d = i * dims; d < (i + 1) * dims; d++) if (vectors[d] !== 0) return true;
    return false;
  };
  return (term) => {
    const norm = normalizeTerm(term);
    const words = tokenize(norm);
    if (words.length > 1 && own(norm)) return true;
    return words.some((w) => own(lemmaOf(w, lemmatizer, id)));
  };
}

interface EncodeAddon {
  encodePlans(vectors: Float32Array, ngrams: Float32Array, dims: number, plan: Int32Array, weights: Float64Array, count: number, out: Float32Array, unknown: Uint8Array): void;
}

function encodeAddon(): EncodeAddon | null {
  return addonWith<EncodeAddon>(['encodePlans']);
}

/** Who adds up encodeAll's vectors by default: compiled where the addon was built (the same vectors). */
export function defaultEncodeEngine(): Engine {
  return encodeAddon() ? 'native' : 'js';
}

/** A token's part of encodeAll's plan: its lemma's vocabulary row (or -1), n-gram buckets and their weight. */
interface TokenPlan {
  row: number;
  buckets: number[];
  weight: number;
}

/**
 * Words whose plans an encoder keeps (then it starts over): ~0.4 KB each with their n-gram
 * buckets. A term list repeats its words (928k terms of the 1M-line bench:e2e list have 128k
 * distinct last words), and a word's lemma search by prefixes and its n-gram hashing were most of
 * the plan's time.
 */
const TOKEN_PLANS = 1 << 17;

/** Embeds terms with a trained model (one instance per thread: it memoises lemmas and token plans). */
export class BuiltinEncoder {
  private readonly id = new Map<string, number>();
  private readonly lemmatizer = new Lemmatizer();
  private readonly dims: number;
  private readonly tokenPlans = new Map<string, TokenPlan>();

  constructor(private readonly model: BuiltinModel) {
    model.vocab.forEach((w, i) => this.id.set(w, i));
    this.dims = model.config.dimensions;
  }

  /** Adds `weight` times the vector of vocabulary entry `w` (if known) to `out`; returns whether it was known. */
  private addOwn(out: Float32Array, w: string, weight: number): boolean {
    const i = this.id.get(w);
    if (i === undefined) return false;
    const src = i * this.dims;
    for (let d = 0; d < this.dims; d++) out[d] += weight * this.model.vectors[src + d];
    return true;
  }

  private addWord(out: Float32Array, token: string): void {
    const lemma = lemmaOf(token, this.lemmatizer, this.id);
    const known = this.addOwn(out, lemma, 1);
    const buckets = ngramBuckets(lemma, this.model.config);
    if (buckets.length === 0) return;
    const weight = (known ? this.model.config.subwordWeight : 1) / buckets.length;
    for (const b of buckets) {
      const src = b * this.dims;
      for (let d = 0; d < this.dims; d++) out[d] += weight * this.model.ngrams[src + d];
    }
  }

  /** Writes the unit vector of one term into `out` (zeroed first). Terms are normalised here. */
  encode(term: string, out: Float32Array): void {
    out.fill(0);
    const norm = normalizeTerm(term);
    const words = tokenize(norm);
    // A term of symbols only (`!`, `%`) is its own single word: its n-grams still give a vector.
    const tokens = words.length > 0 ? words : [norm];
    if (tokens.length > 1) this.addOwn(out, norm, 1);
    const sum = new Float32Array(this.dims);
    for (const token of tokens) this.addWord(sum, token);
    const scale = tokens.length > 0 ? 1 / tokens.length : 0;
    for (let d = 0; d < this.dims; d++) out[d] += scale * sum[d];
    let s = 0;
    for (let d = 0; d < this.dims; d++) s += out[d] * out[d];
    if (s === 0) {
      // Nothing known about the string (e.g. a script no training text uses): a seeded random
      // direction of its own, so equal strings match and unrelated ones stay near-orthogonal.
      const rand = mulberry32(hash32(norm, this.model.config.seed));
      for (let d = 0; d < this.dims; d++) out[d] = rand() - 0.5;
      for (let d = 0; d < this.dims; d++) s += out[d] * out[d];
    }
    const inv = 1 / Math.sqrt(s);
    for (let d = 0; d < this.dims; d++) out[d] *= inv;
    if (this.model.metric) applyMetric(this.model.metric, out);
  }

  private tokenPlan(token: string): TokenPlan {
    const known = this.tokenPlans.get(token);
    if (known) return known;
    const lemma = lemmaOf(token, this.lemmatizer, this.id);
    const row = this.id.get(lemma) ?? -1;
    const buckets = ngramBuckets(lemma, this.model.config);
    const plan = { row, buckets, weight: buckets.length === 0 ? 0 : (row >= 0 ? this.model.config.subwordWeight : 1) / buckets.length };
    if (this.tokenPlans.size >= TOKEN_PLANS) this.tokenPlans.clear();
    this.tokenPlans.set(token, plan);
    return plan;
  }

  /** The unit vectors of many terms, row after row: compiled sums where the addon was built (the same vectors). */
  encodeAll(terms: readonly string[], engine: Engine = defaultEncodeEngine()): Float32Array {
    const out = new Float32Array(terms.length * this.dims);
    const addon = engine === 'native' ? encodeAddon() : null;
    if (!addon) {
      for (let i = 0; i < terms.length; i++) this.encode(terms[i], out.subarray(i * this.dims, (i + 1) * this.dims));
      return out;
    }
    // The plan of encodePlans (native/builtin-encode.cc): what encode() adds up, in its order.
    const plan = new GrowableInt32(terms.length * 32);
    const weights: number[] = [];
    for (const term of terms) {
      const norm = normalizeTerm(term);
      const words = tokenize(norm);
      const tokens = words.length > 0 ? words : [norm];
      plan.push(this.id.get(norm) ?? -1);
      plan.push(tokens.length);
      for (const token of tokens) {
        const { row, buckets, weight } = this.tokenPlan(token);
        plan.push(row);
        plan.push(buckets.length);
        for (const b of buckets) plan.push(b);
        weights.push(weight);
      }
    }
    const unknown = new Uint8Array(terms.length);
    addon.encodePlans(this.model.vectors, this.model.ngrams, this.dims, plan.view(), Float64Array.from(weights), terms.length, out, unknown);
    for (let i = 0; i < terms.length; i++) {
      const row = out.subarray(i * this.dims, (i + 1) * this.dims);
      // A string of nothing known: encode() gives it its seeded random direction.
      if (unknown[i]) this.encode(terms[i], row);
      else if (this.model.metric) applyMetric(this.model.metric, row);
    }
    return out;
  }
}
