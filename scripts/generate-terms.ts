/**
 * Seeded generators of large synthetic Turkish-looking term lists.
 * - `generateTerms` (ingest, embed, relations and API benchmarks): syllable words, ~20% multiword
 *   terms, Turkish letters and casing, ~1% duplicates.
 * - `generatePhraseTerms` (the end-to-end benchmark, --shape phrases): what a user's list looks
 *   like to the pipeline: real Turkish words (KeNet's one-word literals, which the builtin
 *   embedder knows) and made-up words (names, domain jargon: n-gram vectors only), single words
 *   and 2-5 word phrases built from shared heads and modifiers picked with Zipf-like weights (so
 *   phrases share words and have real neighbourhoods), casing variants, duplicates and noise lines.
 * Usage: node dist/scripts/generate-terms.js --count N --out FILE [--seed S] [--shape simple|phrases]
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { kenetPath, loadKenet } from '../src/lexicon/index.js';
import { mulberry32 } from '../src/util/random.js';

const ONSETS = ['', 'b', 'c', 'ç', 'd', 'f', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 'ş', 't', 'v', 'y', 'z'];
const VOWELS = ['a', 'e', 'ı', 'i', 'o', 'ö', 'u', 'ü', 'â'];
const CODAS = ['', '', 'k', 'l', 'm', 'n', 'r', 's', 't', 'z', 'ş'];

export async function generateTerms(count: number, out: string, seed = 1): Promise<void> {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const word = (): string => {
    const syllables = 1 + Math.floor(rand() * 4);
    let w = '';
    for (let i = 0; i < syllables; i++) w += pick(ONSETS) + pick(VOWELS) + pick(CODAS);
    return w;
  };
  const stream = createWriteStream(out);
  const recent: string[] = [];
  let buffer = '';
  for (let i = 0; i < count; i++) {
    let term: string;
    if (recent.length > 0 && rand() < 0.01) term = pick(recent);
    else {
      term = rand() < 0.2 ? `${word()} ${word()}` : `${word()}${i.toString(36)}`;
      if (rand() < 0.05) term = term.toLocaleUpperCase('tr-TR');
      if (recent.length < 1000) recent.push(term);
      else recent[i % 1000] = term;
    }
    buffer += term + '\n';
    if (buffer.length > 1 << 16) {
      if (!stream.write(buffer)) await once(stream, 'drain');
      buffer = '';
    }
  }
  stream.end(buffer);
  await once(stream, 'finish');
}

/** Writes lines through one stream in 64 KiB pieces. */
class LineSink {
  private readonly stream;
  private buffer = '';
  constructor(out: string) {
    this.stream = createWriteStream(out);
  }
  async line(text: string): Promise<void> {
    this.buffer += text + '\n';
    if (this.buffer.length > 1 << 16) {
      if (!this.stream.write(this.buffer)) await once(this.stream, 'drain');
      this.buffer = '';
    }
  }
  async close(): Promise<void> {
    this.stream.end(this.buffer);
    await once(this.stream, 'finish');
  }
}

export interface PhraseTermsReport {
  lines: number;
  realWords: number;
  madeUpWords: number;
  heads: number;
  seconds: number;
}

/**
 * The end-to-end benchmark's list (see the header). Shares, our own guesses written down: 15% of
 * lines single words, the rest phrases of 2-5 words (2: 45%, 3: 30%, 4: 17%, 5: 8%) whose last
 * word is one of ~2,000 heads and whose modifiers come from the whole vocabulary; 70% of word
 * slots real words, 30% made-up; word ranks drawn from a power law (exponent 1.1), so a few words
 * are in very many phrases; 5% of lines in another casing, 1% repeats of a recent line, 0.5% noise
 * (empty, punctuation only, an over-long line). The same KeNet, count and seed give the same file.
 */
export async function generatePhraseTerms(count: number, out: string, seed = 1): Promise<PhraseTermsReport> {
  const started = performance.now();
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const { synsets } = await loadKenet(kenetPath());
  const seen = new Set<string>();
  const real: string[] = [];
  for (const s of synsets) {
    for (const l of s.literals) {
      const w = l.norm;
      if (w.length < 2 || w.includes(' ') || seen.has(w)) continue;
      seen.add(w);
      real.push(w);
    }
  }
  real.sort();
  // A seeded shuffle: a word's rank (how common it is here) has nothing to do with its spelling.
  for (let i = real.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [real[i], real[j]] = [real[j], real[i]];
  }
  const syllable = (): string => pick(ONSETS) + pick(VOWELS) + pick(CODAS);
  const madeUpCount = Math.max(1000, Math.round(real.length * 0.6));
  const madeUp: string[] = [];
  for (let i = 0; i < madeUpCount; i++) {
    let w = '';
    const n = 2 + Math.floor(rand() * 3);
    for (let k = 0; k < n; k++) w += syllable();
    madeUp.push(w);
  }
  // Power-law ranks: floor(size * u^3) puts most draws on the first few percent of a list.
  const ranked = <T>(xs: readonly T[]): T => xs[Math.min(xs.length - 1, Math.floor(xs.length * rand() ** 3.2))];
  const word = (): string => (rand() < 0.7 ? ranked(real) : ranked(madeUp));
  const heads = Array.from({ length: 2000 }, (_, i) => (i % 10 < 7 ? real[i * 7] : madeUp[i * 5]));
  const lengths = [2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 5, 5];
  const sink = new LineSink(out);
  const recent: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = rand();
    let term: string;
    if (r < 0.005) {
      const noise = Math.floor(rand() * 3);
      term = noise === 0 ? '' : noise === 1 ? '---' : word().repeat(200);
    } else if (r < 0.015 && recent.length > 0) term = pick(recent);
    else {
      if (rand() < 0.15) term = rand() < 0.3 ? word() : word() + word(); // a word or a closed compound
      else {
        const len = pick(lengths);
        const parts: string[] = [];
        for (let k = 0; k < len - 1; k++) parts.push(word());
        parts.push(ranked(heads));
        term = parts.join(' ');
      }
      if (rand() < 0.05) term = rand() < 0.5 ? term.toLocaleUpperCase('tr-TR') : term.replace(/(^|\s)(\p{L})/gu, (_, s: string, c: string) => s + c.toLocaleUpperCase('tr-TR'));
      if (recent.length < 1000) recent.push(term);
      else recent[i % 1000] = term;
    }
    await sink.line(term);
  }
  await sink.close();
  return { lines: count, realWords: real.length, madeUpWords: madeUp.length, heads: heads.length, seconds: (performance.now() - started) / 1000 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { count: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' }, shape: { type: 'string', default: 'simple' } } });
  if (!values.count || !values.out) throw new Error('usage: generate-terms --count N --out FILE [--seed S] [--shape simple|phrases]');
  if (values.shape === 'phrases') process.stdout.write(JSON.stringify(await generatePhraseTerms(Number(values.count), values.out, Number(values.seed ?? 1))) + '\n');
  else await generateTerms(Number(values.count), values.out, Number(values.seed ?? 1));
}
