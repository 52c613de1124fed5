import { describe, it, expect } from 'vitest';
import { buildTermTable } from '../src/relations/term-table.js';
import { TwoBitCodes } from '../src/relations/candidate-groups.js';
import { innerSide, PAIR_KEY_BASE, planTraining, type LabelledRow, type TrainingSource } from '../src/relations/training-data.js';
import { mulberry32 } from '../src/util/random.js';

const TERMS = 3000;
const DIMS = 8;

/** A world of made-up words, many candidate pairs (more than 2^18, past the first growth of the sample's codes), a few labelled. */
function world(page = 50_000): { source: TrainingSource; table: ReturnType<typeof buildTermTable>; keys: Float64Array; labelled: Set<number> } {
  const random = mulberry32(3);
  const letters = 'abcçdefgğhıijklmnoöprsştuüvyz';
  const texts = Array.from({ length: TERMS }, (_, i) => {
    let w = '';
    for (let x = i + 1; x > 0; x = Math.floor(x / letters.length)) w += letters[x % letters.length];
    return `${w}${letters[i % 7]}ma`;
  });
  const vectors = new Float32Array(TERMS * DIMS).map(() => random() - 0.5);
  const table = buildTermTable({ termIds: Int32Array.from({ length: TERMS }, (_, i) => i), texts, vectors, dims: DIMS });
  const pairs = new Set<number>();
  while (pairs.size < 300_000) {
    const a = Math.floor(random() * TERMS);
    const b = Math.floor(random() * TERMS);
    if (a !== b) pairs.add(Math.min(a, b) * PAIR_KEY_BASE + Math.max(a, b));
  }
  const keys = Float64Array.from(pairs).sort();
  const rows: LabelledRow[] = [];
  const labelled = new Set<number>();
  for (let i = 0; i < keys.length; i += 997) {
    const a = Math.floor(keys[i] / PAIR_KEY_BASE);
    const b = keys[i] - a * PAIR_KEY_BASE;
    rows.push([texts[a], texts[b], a, b, i % 2 ? 'synonym' : 'co-hyponym']);
    labelled.add(keys[i]);
  }
  rows.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : 1));
  const source: TrainingSource = {
    labelledRows: () => rows,
    derivationPairs: () => [],
    wordPairs: () => [],
    candidateKeys: function* () {
      for (let i = 0; i < keys.length; i += page) yield keys.subarray(i, i + page);
    },
  };
  return { source, table, keys, labelled };
}

describe('the training plan', () => {
  it('draws unrelated candidates from the right side of the split, in candidate order, the same on every run', () => {
    const { source, table, keys, labelled } = world();
    const seed = 11;
    const plan = planTraining(source, table, seed);
    const side = innerSide(table, seed);
    const { unrelated } = plan;
    expect(unrelated.n).toBeGreaterThan(1000);
    const position = new Map<number, number>();
    keys.forEach((k, i) => position.set(k, i));
    let last = -1;
    for (let i = 0; i < unrelated.n; i++) {
      const key = unrelated.a[i] * PAIR_KEY_BASE + unrelated.b[i];
      expect(unrelated.a[i]).toBeLessThan(unrelated.b[i]);
      const at = position.get(key);
      expect(at).toBeDefined();
      expect(at!).toBeGreaterThan(last);
      last = at!;
      expect(labelled.has(key)).toBe(false);
    }
    // Training pairs have both words on the training side, calibration pairs on the validation side.
    for (const i of plan.train.unrelated) expect([side[unrelated.a[i]], side[unrelated.b[i]]]).toEqual([0, 0]);
    for (const i of plan.validation.unrelated) expect([side[unrelated.a[i]], side[unrelated.b[i]]]).toEqual([1, 1]);
    expect(plan.train.unrelated.length + plan.validation.unrelated.length).toBe(unrelated.n);
    // Fewer validation-side candidates than the calibration cap: every one of them is drawn.
    let validationSide = 0;
    for (const k of keys) {
      const a = Math.floor(k / PAIR_KEY_BASE);
      if (!labelled.has(k) && side[a] === 1 && side[k - a * PAIR_KEY_BASE] === 1) validationSide++;
    }
    expect(validationSide).toBeLessThan(20_000);
    expect(plan.validation.unrelated.length).toBe(validationSide);
    expect(plan.validation.unrelatedWeight).toBe(1);

    const again = planTraining(source, table, seed);
    expect(Array.from(again.unrelated.a)).toEqual(Array.from(unrelated.a));
    expect(Array.from(again.unrelated.b)).toEqual(Array.from(unrelated.b));
    expect(again.train).toEqual(plan.train);
  });

  it('draws the same with the candidates grouped on a helper thread, whatever the pages', () => {
    const seed = 5;
    const alone = world();
    const plan = planTraining(alone.source, alone.table, seed, 1, new Map(), { candidateHelper: false });
    // Pages of 49,999 pairs: most begin inside a byte of the two-bit codes.
    for (const page of [50_000, 49_999]) {
      const { source, table } = world(page);
      const helped = planTraining(source, table, seed, 1, new Map(), { candidateHelper: true });
      expect(Array.from(helped.unrelated.a)).toEqual(Array.from(plan.unrelated.a));
      expect(Array.from(helped.unrelated.b)).toEqual(Array.from(plan.unrelated.b));
      expect(helped.train).toEqual(plan.train);
      expect(helped.validation).toEqual(plan.validation);
    }
  });
});

describe('the two-bit codes of candidate pairs', () => {
  it('hold a code at a position past 2^31, where a 32-bit shift turns negative', () => {
    // 512 MB of codes: the most positions a test here can afford, and past the shift's limit.
    const codes = new TwoBitCodes(3);
    const far = 2 ** 31 + 5;
    codes.set(1, 0);
    codes.set(far, 2);
    expect(codes.get(far)).toBe(2);
    expect([codes.get(far - 1), codes.get(far + 1), codes.get(2 ** 31 + 1000)]).toEqual([3, 3, 3]);
    expect([codes.get(0), codes.get(1), codes.get(5)]).toEqual([3, 0, 3]);
    expect(codes.length).toBe(far + 1);
  });
});
