/** Index of `key` in the ascending `keys[start .. end)`, or -1 (binary search; lengths under 2^31). */
export function indexOfSorted(keys: ArrayLike<number>, key: number, start = 0, end = keys.length): number {
  let lo = start;
  let hi = end - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = keys[mid];
    if (v === key) return mid;
    if (v < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
