import { describe, expect, it } from 'vitest';
import { MATRIX_FLOATS_MAX, matrixTooLarge } from '../src/util/matrix-limit.js';

describe('the vector matrix limit', () => {
  it('lets through a matrix of up to 2^32 floats and refuses a larger one, saying what fits', () => {
    const fit = Math.floor(MATRIX_FLOATS_MAX / 384);
    expect(matrixTooLarge(fit, 384)).toBeNull();
    expect(matrixTooLarge(2 ** 25, 128)).toBeNull();
    const problem = matrixTooLarge(12_607_467, 384);
    expect(problem).toContain('12607467 vectors of 384 dimensions are 4841267328 floats');
    expect(problem).toContain(`at most ${fit} terms fit`);
    expect(problem).toContain('a model of at most 340 dimensions');
    expect(matrixTooLarge(fit + 1, 384)).not.toBeNull();
  });
});
