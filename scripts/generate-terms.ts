/**
 * Seeded generator of large synthetic Turkish-looking term lists (for ingest benchmarks):
 * syllable words, ~20% multiword terms, Turkish letters and casing, ~1% duplicates.
 * Usage: node dist/scripts/generate-terms.js --count N --out FILE [--seed S]
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
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

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { count: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' } } });
  if (!values.count || !values.out) throw new Error('usage: generate-terms --count N --out FILE [--seed S]');
  await generateTerms(Number(values.count), values.out, Number(values.seed ?? 1));
}
