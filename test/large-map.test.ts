import { describe, expect, it } from 'vitest';
import { LargeMap, LargeSet, MAP_ENTRIES_MAX } from '../src/util/large-map.js';

describe('LargeMap', () => {
  it('behaves as a Map across shards: insertion order, updates in place, deletes, undefined values', () => {
    const m = new LargeMap<string, number | undefined>(undefined, 2);
    const plain = new Map<string, number | undefined>();
    const ops: [string, number | undefined][] = [['a', 1], ['b', 2], ['c', 3], ['a', 10], ['d', undefined], ['e', 5], ['c', 30]];
    for (const [k, v] of ops) {
      m.set(k, v);
      plain.set(k, v);
    }
    expect([...m]).toEqual([...plain]);
    expect(m.size).toBe(5);
    expect(m.get('c')).toBe(30);
    expect(m.has('d')).toBe(true);
    expect(m.get('d')).toBeUndefined();
    expect(m.has('z')).toBe(false);
    expect(m.delete('b')).toBe(true);
    expect(m.delete('b')).toBe(false);
    m.set('b', 7);
    plain.delete('b');
    plain.set('b', 7);
    expect([...m.keys()]).toEqual([...plain.keys()]);
    expect([...m.values()]).toEqual([...plain.values()]);
    expect(new LargeMap([['x', 1], ['y', 2], ['x', 3]] as const, 1).get('x')).toBe(3);
  });

  it('refuses a shard size V8 cannot hold', () => {
    expect(() => new LargeMap(undefined, MAP_ENTRIES_MAX + 1)).toThrow(RangeError);
    expect(() => new LargeSet(undefined, 0)).toThrow(RangeError);
  });
});

describe('LargeSet', () => {
  it('behaves as a Set across shards', () => {
    const s = new LargeSet([3, 1, 3, 2, 5, 1], 2);
    expect([...s]).toEqual([3, 1, 2, 5]);
    expect(s.size).toBe(4);
    expect(s.has(5) && !s.has(4)).toBe(true);
    expect(s.delete(3)).toBe(true);
    s.add(3).add(1);
    expect([...s.values()]).toEqual([1, 2, 5, 3]);
  });

  it('holds more entries than a V8 Set can', () => {
    // The limit itself, measured: a plain Set refuses its 2^24 + 1st entry.
    const n = MAP_ENTRIES_MAX + 3;
    const plain = new Set<number>();
    expect(() => {
      for (let i = 0; i < n; i++) plain.add(i);
    }).toThrow(RangeError);
    plain.clear();
    const s = new LargeSet<number>();
    for (let i = 0; i < n; i++) s.add(i);
    s.add(0).add(n - 1);
    expect(s.size).toBe(n);
    expect(s.has(0) && s.has(MAP_ENTRIES_MAX) && s.has(n - 1) && !s.has(n)).toBe(true);
  }, 60_000);
});
