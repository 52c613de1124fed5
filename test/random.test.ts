import { describe, expect, it } from 'vitest';
import { hash32, hash32Units, hashUnit } from '../src/util/random.js';

describe('hash32Units', () => {
  it('hashes code units as hash32 hashes the string they spell, slices and seeds alike', () => {
    const texts = ['', 'kara', 'İstanbul ışığı', 'kâr', 'çiçekçi dükkânı', '😀 emoji', 'a'.repeat(300)];
    const joined = texts.join('|');
    // Code units, as the term table stores a text (an emoji is two).
    const all = new Uint16Array(joined.length);
    for (let i = 0; i < joined.length; i++) all[i] = joined.charCodeAt(i);
    let at = 0;
    for (const text of texts) {
      for (const seed of [0, 42, 0x7a11 ^ 9]) {
        expect(hash32Units(all, at, at + text.length, seed)).toBe(hash32(text, seed));
        expect(hash32Units(all, at, at + text.length, seed) / 2 ** 32).toBe(hashUnit(text, seed));
      }
      at += text.length + 1;
    }
    expect(hash32Units(all, 0, all.length)).toBe(hash32(joined));
    expect(hash32Units(all, 0, all.length)).not.toBe(hash32Units(all, 1, all.length));
  });
});
