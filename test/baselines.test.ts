import { describe, it, expect } from 'vitest';
import type { WeightedPair } from '../src/types.js';
import { connectedComponents, louvainClusters } from '../src/eval/baselines.js';

const e = (a: string, b: string, weight = 1): WeightedPair => ({ a, b, weight });

describe('connectedComponents', () => {
  it('finds components with deterministic ids and member order', () => {
    const edges = [e('y', 'x'), e('c', 'b'), e('b', 'a'), e('ç', 'd'), e('m', 'z'), e('a', 'c', 0.2)];
    // smallest members: a < d < m < x; 'd' < 'ç' in code-unit order (U+0064 < U+00E7)
    expect(connectedComponents(edges)).toEqual([
      { id: 'c0', members: ['a', 'b', 'c'] },
      { id: 'c1', members: ['d', 'ç'] },
      { id: 'c2', members: ['m', 'z'] },
      { id: 'c3', members: ['x', 'y'] },
    ]);
  });

  it('merges long chains built in any order', () => {
    // chain w0 - w1 - ... - w49, added back to front
    const edges = Array.from({ length: 49 }, (_v, i) => e(`w${48 - i}`, `w${49 - i}`));
    const result = connectedComponents(edges);
    expect(result).toHaveLength(1);
    expect(result[0].members).toHaveLength(50);
  });

  it('keeps a self-loop word as a singleton and returns nothing for no edges', () => {
    expect(connectedComponents([e('q', 'q'), e('a', 'b')])).toEqual([
      { id: 'c0', members: ['a', 'b'] },
      { id: 'c1', members: ['q'] },
    ]);
    expect(connectedComponents([])).toEqual([]);
  });
});

/** Two 5-cliques {a1..a5}, {b1..b5} of weight 1 joined by one weak edge a1-b1 (0.1). */
function twoCliques(): WeightedPair[] {
  const edges: WeightedPair[] = [];
  for (const p of ['a', 'b']) {
    for (let i = 1; i <= 5; i++) for (let j = i + 1; j <= 5; j++) edges.push(e(`${p}${i}`, `${p}${j}`));
  }
  edges.push(e('a1', 'b1', 0.1));
  return edges;
}

describe('louvainClusters', () => {
  const expected = [
    { id: 'c0', members: ['a1', 'a2', 'a3', 'a4', 'a5'] },
    { id: 'c1', members: ['b1', 'b2', 'b3', 'b4', 'b5'] },
  ];

  it('separates two dense cliques joined by a weak edge', () => {
    expect(louvainClusters(twoCliques())).toEqual(expected);
  });

  it('is deterministic for a seed and independent of edge order', () => {
    const edges = twoCliques();
    const first = louvainClusters(edges, { seed: 7 });
    const second = louvainClusters(edges, { seed: 7 });
    expect(second).toEqual(first);
    expect(louvainClusters([...edges].reverse(), { seed: 7 })).toEqual(first);
    expect(first).toEqual(expected);
  });

  it('merges duplicate edges, skips self loops', () => {
    // duplicates in both directions with lower weights, plus a self loop on a lone word
    const edges = [...twoCliques(), e('a2', 'a1', 0.01), e('b1', 'a1', 0.05), e('solo', 'solo', 5)];
    expect(louvainClusters(edges)).toEqual([...expected, { id: 'c2', members: ['solo'] }]);
  });
});
