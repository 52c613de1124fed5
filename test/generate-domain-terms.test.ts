import { beforeAll, describe, expect, it } from 'vitest';
import { kenetPath, loadKenet, normalizeTerm, type KenetSynset } from '../src/lexicon/index.js';
import {
  acronymOf,
  asciiFold,
  FORBIDDEN_KINDS,
  generateDomainList,
  literalSynsets,
  NOISE_KINDS,
  PLANTED_FAMILY_KINDS,
  sameWordCircumflex,
  truthGroups,
  type GeneratedList,
} from '../scripts/generate-domain-terms.js';

let synsets: KenetSynset[];
let list: GeneratedList;
const TERMS = 3000;

beforeAll(async () => {
  synsets = (await loadKenet(kenetPath())).synsets;
  list = generateDomainList(synsets, { terms: TERMS, seed: 7 });
});

describe('generate-domain-terms', () => {
  it('is deterministic for a seed, and the seed matters', () => {
    const again = generateDomainList(synsets, { terms: TERMS, seed: 7 });
    expect(again.lines).toEqual(list.lines);
    expect(JSON.stringify(again.truth)).toBe(JSON.stringify(list.truth));
    const other = generateDomainList(synsets, { terms: TERMS, seed: 8 });
    expect(other.lines).not.toEqual(list.lines);
  });

  it('writes the size asked for, mostly multiword', () => {
    expect(list.lines).toHaveLength(TERMS);
    expect(list.truth.terms).toBe(TERMS);
    expect(list.summary.multiwordShare).toBeGreaterThan(0.7);
    expect(list.summary.multiwordShare).toBeLessThan(0.9);
  });

  it('plants every kind', () => {
    const families = new Set(list.truth.families.map((f) => f.kind));
    for (const kind of PLANTED_FAMILY_KINDS) expect(families, kind).toContain(kind);
    const forbidden = new Set(list.truth.forbidden.map((f) => f.kind));
    for (const kind of FORBIDDEN_KINDS) expect(forbidden, kind).toContain(kind);
    const noise = new Set(list.truth.noise.map((n) => n.kind));
    for (const kind of NOISE_KINDS) expect(noise, kind).toContain(kind);
    expect(list.truth.siblings.length).toBeGreaterThan(0);
    expect(list.summary.shortfall).toEqual({});
  });

  it('writes truth strings that are the normalised form of some line', () => {
    const norms = new Set(list.lines.map(normalizeTerm));
    const strings = [
      ...list.truth.families.flatMap((f) => f.members),
      ...list.truth.forbidden.flatMap((p) => [p.a, p.b]),
      ...list.truth.siblings.flatMap((p) => [p.a, p.b]),
      ...list.truth.noise.flatMap((n) => (n.norm === null ? [] : [n.norm])),
    ];
    expect(strings.length).toBeGreaterThan(1000);
    for (const s of strings) expect(norms.has(s), s).toBe(true);
    for (const f of list.truth.families) {
      expect(f.members.length, f.kind).toBeGreaterThanOrEqual(2);
      expect(new Set(f.members).size, f.kind).toBe(f.members.length);
    }
  });

  it('never plants a forbidden or sibling pair that a family joins, even through family groups', () => {
    const groups = truthGroups(list.truth.families);
    const together = new Set<string>();
    for (const f of list.truth.families) for (const a of f.members) for (const b of f.members) together.add(`${a}\u0000${b}`);
    for (const p of [...list.truth.forbidden, ...list.truth.siblings]) {
      expect(p.a).not.toBe(p.b);
      expect(together.has(`${p.a}\u0000${p.b}`), `${p.a} / ${p.b}`).toBe(false);
      const ga = groups.get(p.a);
      if (ga !== undefined) expect(groups.get(p.b), `${p.a} / ${p.b}`).not.toBe(ga);
    }
  });

  it('plants the variant shapes the issue names', () => {
    const byKind = (kind: string): string[][] => list.truth.families.filter((f) => f.kind === kind).map((f) => f.members);
    // Without Turkish letters, or capitalised with an ASCII I: the members differ, their ASCII folds do not.
    for (const m of [...byKind('ascii'), ...byKind('ascii-capital')]) expect(new Set(m.map(asciiFold)).size, m.join(' / ')).toBe(1);
    // Acronyms: a name and its Turkish-aware initials.
    for (const m of byKind('acronym')) expect(m.some((x) => m.includes(normalizeTerm(acronymOf(x))) && x.includes(' '))).toBe(true);
    // Forbidden number pairs differ in digits only.
    for (const p of list.truth.forbidden.filter((f) => f.kind === 'number')) expect(p.a.replace(/\d+/gu, '#')).toBe(p.b.replace(/\d+/gu, '#'));
  });

  it('plants a circumflex pair only where the plain spelling is the same word', () => {
    const pairs = sameWordCircumflex(literalSynsets(synsets));
    const has = (word: string, plain: string) => pairs.find((p) => p.word === word && p.plain === plain);
    expect(has('adlî', 'adli')).toBeDefined();
    expect(has('hâkim', 'hakim')?.phraseOnly).toBe(true);
    expect(has('kâr', 'kar')).toBeUndefined();
    expect(has('âlâ', 'ala')).toBeUndefined();
    const planted = list.truth.families.filter((f) => f.kind === 'circumflex');
    for (const f of planted) {
      expect(f.members.some((m) => m.split(' ').some((w) => w === 'kâr' || w === 'kar')), f.members.join(' / ')).toBe(false);
      if (f.members.some((m) => m.split(' ').includes('hakim'))) expect(f.members.every((m) => m.includes(' '))).toBe(true);
    }
  });

  it('writes Turkish-aware acronyms and ASCII folds', () => {
    expect(acronymOf('Avrupa İnsan Hakları Mahkemesi')).toBe('AİHM');
    expect(acronymOf('İcra ve İflas Kanunu')).toBe('İİK');
    expect(asciiFold('iş kazası ölüm geliri')).toBe('is kazasi olum geliri');
  });
});
