import { describe, it, expect } from 'vitest';
import { normalizeTerm, foldCircumflex, termKeys } from '../src/lexicon/index.js';

describe('normalizeTerm: Turkish casing', () => {
  it.each([
    ['İstanbul', 'istanbul'],
    ['IŞIK', 'ışık'],
    ['ISPARTA', 'ısparta'],
    ['İĞNE', 'iğne'],
    ['ÇÖĞÜŞ', 'çöğüş'],
    ['I', 'ı'],
    ['İ', 'i'],
  ])('%s -> %s', (raw, expected) => {
    expect(normalizeTerm(raw)).toBe(expected);
  });

  it('differs from a plain toLowerCase on I and İ (which would be wrong for Turkish)', () => {
    // Plain toLowerCase: I -> i (should be ı), İ -> i + U+0307 (should be i).
    expect('I'.toLowerCase()).toBe('i');
    expect(normalizeTerm('I')).toBe('ı');
    expect(normalizeTerm('I')).not.toBe('I'.toLowerCase());

    expect('İ'.toLowerCase()).toBe('i\u0307');
    expect(normalizeTerm('İ')).toBe('i');
    expect(normalizeTerm('İstanbul')).not.toBe('İstanbul'.toLowerCase());
    expect(normalizeTerm('IŞIK')).not.toBe('IŞIK'.toLowerCase());
  });
});

describe('normalizeTerm: Unicode normalisation', () => {
  it('composes NFD input to NFC', () => {
    const nfd = 'c\u0327ic\u0327ek'; // ç as c + combining cedilla
    expect(nfd.length).toBe(7);
    const out = normalizeTerm(nfd);
    expect(out).toBe('çiçek');
    expect(out.length).toBe(5);
    expect(out).toBe(out.normalize('NFC'));
  });

  it('decomposed uppercase S + cedilla and G + breve lowercase to composed ş and ğ', () => {
    expect(normalizeTerm('S\u0327EKER')).toBe('şeker');
    expect(normalizeTerm('DAG\u0306')).toBe('dağ');
  });

  it("'I\\u0307' (I + combining dot above, i.e. decomposed İ) becomes plain i", () => {
    const out = normalizeTerm('I\u0307stanbul');
    expect(out).toBe('istanbul');
    expect(out.length).toBe(8);
    expect(out.includes('\u0307')).toBe(false);
  });

  it('decomposed circumflex composes to â', () => {
    const out = normalizeTerm('ka\u0302r');
    expect(out).toBe('kâr');
    expect(out.length).toBe(3);
  });
});

describe('normalizeTerm: whitespace', () => {
  it('trims and folds inner runs of spaces, tabs and NBSP to one space', () => {
    expect(normalizeTerm('  kırmızı   kitap  ')).toBe('kırmızı kitap');
    expect(normalizeTerm('\tkırmızı\t\tkitap\n')).toBe('kırmızı kitap');
    expect(normalizeTerm('kırmızı\u00a0kitap')).toBe('kırmızı kitap');
    expect(normalizeTerm('\u00a0a \t\u00a0 b\u00a0')).toBe('a b');
  });

  it('an all-whitespace input becomes the empty string', () => {
    expect(normalizeTerm(' \t\u00a0 ')).toBe('');
  });
});

describe('circumflex: kept in the normalised form, folded in the search key', () => {
  it('kâr keeps its circumflex as norm, folds to kar', () => {
    expect(normalizeTerm('kâr')).toBe('kâr');
    expect(normalizeTerm('kâr')).not.toBe(normalizeTerm('kar'));
    expect(foldCircumflex('kâr')).toBe('kar');
    expect(termKeys('kâr')).toEqual({ norm: 'kâr', folded: 'kar' });
  });

  it('Hâlâ -> norm hâlâ, folded hala', () => {
    expect(termKeys('Hâlâ')).toEqual({ norm: 'hâlâ', folded: 'hala' });
  });

  it('folds every circumflex letter', () => {
    expect(foldCircumflex('âîûôê')).toBe('aiuoe');
    expect(termKeys('  Kâtip\u00a0Çelebî ')).toEqual({ norm: 'kâtip çelebî', folded: 'katip çelebi' });
  });

  it('terms without circumflex have norm === folded', () => {
    expect(termKeys('IŞIK')).toEqual({ norm: 'ışık', folded: 'ışık' });
  });
});
