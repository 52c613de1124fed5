// The relation discriminator's pair scoring (src/relations/score.ts, PairScorer's pair path)
// compiled: per pair of term-table rows, the linear model's five logits, from the rows'
// projections, the vectors' cosine (and product block) and the comparison cues of features.ts's
// pairCues, computed by the same operations in the same order (doubles, each cue rounded to a
// float as the JS scratch row does), so the logits are the JS's bit for bit (tested). The softmax
// stays in JS: Math.exp is V8's own, and the probabilities must not move by an ulp. At 1M terms
// the JS took 67 s per scoring worker for 61.7M pairs (stop 36's profile).
//
//   relationScorer(table, knowledge, model, layout) -> handle
//   relationLogits(handle, a, b, n, logits) -> undefined
//
// `table` and `knowledge` are term-table.ts's TermTable and KnowledgeTable, `model` holds weights,
// bias, projections (score.ts's termProjections) and withProduct; `layout` is the signature
// fields' indexes and the cue constants (src/relations/compiled-scorer.ts), read here rather than
// written twice. The handle holds the arrays by reference and is checked once: every offset in
// range, every id a valid index. Each call checks its rows.
#include <node_api.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "addon.h"

namespace {

constexpr int C = 5;       // classes
constexpr int P = 2 * C;   // projections per row: mean part, then unary part
constexpr int MAX_EDIT = 24;

template <typename T>
struct Span {
  const T* p = nullptr;
  size_t n = 0;
  const T& operator[](size_t i) const { return p[i]; }
};

// Signature field indexes and cue constants, in the order compiled-scorer.ts writes them.
struct Layout {
  int32_t fields;
  int32_t lemma, head, first, words, privStem, privClass, verbStem, verbClass, prefixStem, negMarker, reduplicated, folded, length, norm, compact,
      defFlags, rootWord, headKey, rootKey, chain, finalClass, flags, numValue, numFrame, prefixFrame, lastWord, suffixFrame, firstWord;
  int32_t flagVerb, flagKnows, flagNegative;
  int32_t defHas, defOpposite, defNegated;
  int32_t negating;
  int32_t derivationClasses;
  int32_t languages;
  int32_t english;
  int32_t cues;
  int32_t knownSynonym, knownAntonym, knownCohyponym, knownDerived;
  int32_t finalCount;
  std::vector<int32_t> finalIndex;
};
constexpr int SIG_INDEXES = 28;
constexpr int LAYOUT_FIXED = 46;

struct Scorer {
  Layout L;
  int32_t rows = 0;
  int32_t dims = 0;
  Span<uint16_t> text;
  Span<int32_t> textStart, sig, defStart, defTokens;
  Span<float> vectors;
  Span<double> pairKeys;
  Span<uint8_t> pairCodes;
  Span<int32_t> headStart, heads, senseStart, senses, directStart, direct, similarStart, similar, wordKeys, wordRows;
  Span<uint8_t> headLanguage, senseLanguage;
  Span<float> headWeight, senseWeight;
  Span<float> weights, bias, proj;
  bool withProduct = false;
  std::vector<napi_ref> refs;
  // Scratch: the cue row, per-language sums, and Myers' match masks of the last first string.
  std::vector<float> x;
  std::vector<float> sharedSenses, sharedHeads, rootSenses;
  std::vector<int32_t> headsA, headsB;
  std::vector<int32_t> masks = std::vector<int32_t>(65536, 0);
  uint16_t maskedUnits[MAX_EDIT] = {};
  int32_t maskedStart = -1;
  int32_t maskedLength = 0;
};

const napi_type_tag SCORER_TAG = {0x5f0c7e1d2b9a4c31ULL, 0x8e6d4a2f1c3b5e07ULL};

// util/sorted.ts's indexOfSorted: the same halving, so duplicate keys give the JS's index.
template <typename T, typename K>
inline int64_t indexOfSorted(const T* keys, K key, int64_t start, int64_t end) {
  int64_t lo = start;
  int64_t hi = end - 1;
  while (lo <= hi) {
    const int64_t mid = static_cast<int64_t>(static_cast<uint64_t>(lo + hi) >> 1);
    const T v = keys[mid];
    if (v == key) return mid;
    if (v < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

// term-table.ts's wordPairKey and knownRelation.
inline int32_t knownRelation(const Scorer& s, int32_t x, int32_t y) {
  const uint32_t a = static_cast<uint32_t>(x);
  const uint32_t b = static_cast<uint32_t>(y);
  const uint32_t lo = a < b ? a : b;
  const uint32_t hi = a < b ? b : a;
  const double key = static_cast<double>(hi >> 11) * 4294967296.0 + static_cast<double>(lo);
  const int64_t i = indexOfSorted(s.pairKeys.p, key, 0, static_cast<int64_t>(s.pairKeys.n));
  return i < 0 ? 0 : s.pairCodes[i];
}

// knowledge-table.ts's rowOfWord.
inline int32_t rowOfWord(const Scorer& s, int32_t key) {
  const int64_t i = indexOfSorted(s.wordKeys.p, key, 0, static_cast<int64_t>(s.wordKeys.n));
  return i < 0 ? -1 : s.wordRows[i];
}

// knowledge-table.ts's intersectByLanguage ('sum' adds the weights, else the largest is kept).
inline void intersectByLanguage(const int32_t* values, int64_t i, int64_t ea, int64_t j, int64_t eb, const uint8_t* language, const float* weight, float* out, bool sum) {
  while (i < ea && j < eb) {
    const int32_t x = values[i];
    const int32_t y = values[j];
    if (x == y) {
      const uint8_t l = language[x];
      out[l] = sum ? out[l] + weight[x] : std::max(out[l], weight[x]);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
}

inline int32_t sharedCount(const int32_t* xs, int64_t i, int64_t ea, const int32_t* ys, int64_t j, int64_t eb) {
  int32_t n = 0;
  while (i < ea && j < eb) {
    const int32_t x = xs[i];
    const int32_t y = ys[j];
    if (x == y) {
      n++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return n;
}

// features.ts's editSimilarity (Myers / Hyyrö over the first MAX_EDIT units), in 32-bit words as JS's bit operators.
double editSimilarity(Scorer& s, int32_t s1, int32_t n1, int32_t s2, int32_t n2) {
  const int32_t m = std::min(n1, MAX_EDIT);
  const int32_t n = std::min(n2, MAX_EDIT);
  if (m == 0 || n == 0) return 0;
  const uint16_t* text = s.text.p;
  if (s1 != s.maskedStart || m != s.maskedLength) {
    for (int32_t i = 0; i < s.maskedLength; i++) s.masks[s.maskedUnits[i]] = 0;
    for (int32_t i = 0; i < m; i++) {
      const uint16_t unit = text[s1 + i];
      s.maskedUnits[i] = unit;
      s.masks[unit] |= static_cast<int32_t>(1u << i);
    }
    s.maskedStart = s1;
    s.maskedLength = m;
  }
  const uint32_t top = 1u << (m - 1);
  uint32_t pv = 0xffffffffu;
  uint32_t mv = 0;
  int32_t score = m;
  for (int32_t j = 0; j < n; j++) {
    const uint32_t eq = static_cast<uint32_t>(s.masks[text[s2 + j]]);
    const uint32_t xv = eq | mv;
    const uint32_t xh = (((eq & pv) + pv) ^ pv) | eq;
    uint32_t ph = mv | ~(xh | pv);
    uint32_t mh = pv & xh;
    if (ph & top) score++;
    else if (mh & top) score--;
    ph = (ph << 1) | 1u;
    mh = mh << 1;
    pv = mh | ~(xv | ph);
    mv = ph & xv;
  }
  return 1 - static_cast<double>(score) / std::max(m, n);
}

bool contains(const uint16_t* text, int32_t hay, int32_t nh, int32_t needle, int32_t nn) {
  if (nn == 0 || nn > nh) return false;
  for (int32_t i = 0; i + nn <= nh; i++) {
    int32_t j = 0;
    while (j < nn && text[hay + i + j] == text[needle + j]) j++;
    if (j == nn) return true;
  }
  return false;
}

inline bool isWordExtension(const Scorer& s, size_t shortRow, size_t longRow) {
  const Layout& L = s.L;
  const int32_t* sig = s.sig.p;
  if (sig[longRow + L.words] != sig[shortRow + L.words] + 1) return false;
  const int32_t norm = sig[shortRow + L.norm];
  return sig[longRow + L.prefixFrame] == norm || sig[longRow + L.suffixFrame] == norm;
}

// features.ts's rootsSharedSense.
float rootsSharedSense(Scorer& s, int32_t x, int32_t y) {
  const int32_t rx = rowOfWord(s, x);
  const int32_t ry = rx < 0 ? -1 : rowOfWord(s, y);
  if (ry < 0) return 0;
  std::fill(s.rootSenses.begin(), s.rootSenses.end(), 0.0f);
  intersectByLanguage(s.senses.p, s.senseStart[rx], s.senseStart[rx + 1], s.senseStart[ry], s.senseStart[ry + 1], s.senseLanguage.p, s.senseWeight.p, s.rootSenses.data(), false);
  float strongest = 0;
  for (const float v : s.rootSenses)
    if (v > strongest) strongest = v;
  return strongest;
}

// features.ts's knowledgeCues into out[o ..]; returns the strongest shared sense's weight.
float knowledgeCues(Scorer& s, int32_t ra, int32_t rb, float* out) {
  const int32_t LC = s.L.languages;
  const int64_t ha0 = s.headStart[ra];
  const int64_t ha1 = s.headStart[ra + 1];
  const int64_t hb0 = s.headStart[rb];
  const int64_t hb1 = s.headStart[rb + 1];
  if (ha0 == ha1 || hb0 == hb1) {
    std::fill(out, out + 3 * LC + 2, 0.0f);
    return 0;
  }
  std::fill(s.sharedSenses.begin(), s.sharedSenses.end(), 0.0f);
  std::fill(s.sharedHeads.begin(), s.sharedHeads.end(), 0.0f);
  std::fill(s.headsA.begin(), s.headsA.end(), 0);
  std::fill(s.headsB.begin(), s.headsB.end(), 0);
  for (int64_t i = ha0; i < ha1; i++) s.headsA[s.headLanguage[s.heads[i]]]++;
  for (int64_t i = hb0; i < hb1; i++) s.headsB[s.headLanguage[s.heads[i]]]++;
  intersectByLanguage(s.senses.p, s.senseStart[ra], s.senseStart[ra + 1], s.senseStart[rb], s.senseStart[rb + 1], s.senseLanguage.p, s.senseWeight.p, s.sharedSenses.data(), false);
  intersectByLanguage(s.heads.p, ha0, ha1, hb0, hb1, s.headLanguage.p, s.headWeight.p, s.sharedHeads.data(), true);
  float strongest = 0;
  int o = 0;
  for (int32_t l = 0; l < LC; l++) {
    const bool both = s.headsA[l] > 0 && s.headsB[l] > 0;
    if (s.sharedSenses[l] > strongest) strongest = s.sharedSenses[l];
    out[o++] = s.sharedSenses[l];
    out[o++] = both ? static_cast<float>(static_cast<double>(s.sharedHeads[l]) / std::min(s.headsA[l], s.headsB[l])) : 0.0f;
    out[o++] = both ? 1.0f : 0.0f;
  }
  const int32_t english = std::min(s.headsA[s.L.english], s.headsB[s.L.english]);
  const double direct = english == 0 ? 0 : std::min(1.0, static_cast<double>(sharedCount(s.direct.p, s.directStart[ra], s.directStart[ra + 1], s.heads.p, hb0, hb1)) / english);
  const double similar = english == 0 ? 0 : std::min(1.0, static_cast<double>(sharedCount(s.similar.p, s.similarStart[ra], s.similarStart[ra + 1], s.heads.p, hb0, hb1)) / english);
  out[o++] = static_cast<float>(direct);
  out[o++] = static_cast<float>(similar);
  return strongest;
}

inline float flag(bool b) { return b ? 1.0f : 0.0f; }

// features.ts's pairCues into s.x (CUE_COUNT floats), line for line.
void pairCues(Scorer& s, int32_t ra, int32_t rb, double dot, bool evidence) {
  const Layout& L = s.L;
  const int32_t* sig = s.sig.p;
  const uint16_t* text = s.text.p;
  float* out = s.x.data();
  const size_t sa = static_cast<size_t>(ra) * L.fields;
  const size_t sb = static_cast<size_t>(rb) * L.fields;
  const int32_t ta = s.textStart[ra];
  const int32_t na = s.textStart[ra + 1] - ta;
  const int32_t tb = s.textStart[rb];
  const int32_t nb = s.textStart[rb + 1] - tb;
  const int32_t wa = sig[sa + L.words];
  const int32_t wb = sig[sb + L.words];
  const bool multiA = wa > 1;
  const bool multiB = wb > 1;
  const int32_t pa = sig[sa + L.privClass];
  const int32_t pb = sig[sb + L.privClass];
  const bool samePrivStem = pa != 0 && pb != 0 && sig[sa + L.privStem] == sig[sb + L.privStem];
  const int32_t va2 = sig[sa + L.verbClass];
  const int32_t vb2 = sig[sb + L.verbClass];
  const int32_t fa = sig[sa + L.defFlags];
  const int32_t fb = sig[sb + L.defFlags];
  const bool da = (fa & L.defHas) != 0;
  const bool db = (fb & L.defHas) != 0;
  const bool mentionsAinB = db && indexOfSorted(s.defTokens.p, sig[sa + L.headKey], s.defStart[rb], s.defStart[rb + 1]) >= 0;
  const bool mentionsBinA = da && indexOfSorted(s.defTokens.p, sig[sb + L.headKey], s.defStart[ra], s.defStart[ra + 1]) >= 0;
  const bool mentions = mentionsAinB || mentionsBinA;

  int o = 0;
  out[o++] = static_cast<float>(dot);
  out[o++] = flag(!evidence);
  out[o++] = flag(sig[sa + L.lemma] == sig[sb + L.lemma]);
  const bool spellingVariant = sig[sa + L.folded] == sig[sb + L.folded] && sig[sa + L.norm] != sig[sb + L.norm];
  out[o++] = flag(spellingVariant);
  out[o++] = flag(!spellingVariant && sig[sa + L.compact] == sig[sb + L.compact] && sig[sa + L.norm] != sig[sb + L.norm]);
  out[o++] = flag((multiA || multiB) && sig[sa + L.head] == sig[sb + L.head]);
  out[o++] = flag((multiA || multiB) && sig[sa + L.first] == sig[sb + L.first]);
  out[o++] = flag(multiA && multiB);
  out[o++] = flag(multiA || multiB);
  out[o++] = static_cast<float>(std::min(3.0, std::abs(static_cast<double>(wa) - wb)) / 3);
  out[o++] = static_cast<float>(editSimilarity(s, ta, na, tb, nb));
  int32_t lcp = 0;
  const int32_t minLen = std::min(na, nb);
  while (lcp < minLen && text[ta + lcp] == text[tb + lcp]) lcp++;
  out[o++] = minLen == 0 ? 0.0f : static_cast<float>(static_cast<double>(lcp) / minLen);
  out[o++] = flag(na <= nb ? contains(text, tb, nb, ta, na) : contains(text, ta, na, tb, nb));
  out[o++] = flag(samePrivStem && pa != pb);
  out[o++] = flag(samePrivStem && pa == pb);
  out[o++] = flag((pa == -1) != (pb == -1));
  out[o++] = flag(va2 != 0 && vb2 != 0 && va2 != vb2 && sig[sa + L.verbStem] == sig[sb + L.verbStem]);
  out[o++] = flag((sig[sa + L.prefixStem] != 0 && sig[sa + L.prefixStem] == sig[sb + L.norm]) || (sig[sb + L.prefixStem] != 0 && sig[sb + L.prefixStem] == sig[sa + L.norm]));
  out[o++] = flag(sig[sa + L.negMarker] != sig[sb + L.negMarker]);
  out[o++] = flag((sig[sa + L.reduplicated] | sig[sb + L.reduplicated]) != 0);
  const int32_t maxLen = std::max(na, nb);
  out[o++] = maxLen == 0 ? 0.0f : static_cast<float>(static_cast<double>(minLen) / maxLen);
  out[o++] = flag(da && db);
  out[o++] = flag(da != db);
  out[o++] = flag(mentions);
  out[o++] = flag((mentionsAinB && (fb & L.defOpposite) != 0) || (mentionsBinA && (fa & L.defOpposite) != 0));
  out[o++] = flag((mentionsAinB && (fb & L.defNegated) != 0) || (mentionsBinA && (fa & L.defNegated) != 0));

  const int32_t chainA = sig[sa + L.chain];
  const int32_t chainB = sig[sb + L.chain];
  const bool sameRoot = sig[sa + L.rootKey] == sig[sb + L.rootKey] && sig[sa + L.norm] != sig[sb + L.norm];
  const int32_t xa = sig[sa + L.rootWord];
  const int32_t xb = sig[sb + L.rootWord];
  const bool derived = (chainA | chainB) != 0;
  const int32_t rootsKnown = derived && xa != 0 && xb != 0 && xa != xb ? knownRelation(s, xa, xb) : 0;
  const int32_t pxa = sig[sa + L.prefixStem];
  const int32_t pxb = sig[sb + L.prefixStem];
  const bool prefixed = (pxa != 0) != (pxb != 0);
  const int32_t ya = pxa != 0 ? pxa : xa;
  const int32_t yb = pxb != 0 ? pxb : xb;
  const float rootsShare = (derived || prefixed) && ya != 0 && yb != 0 && ya != yb ? rootsSharedSense(s, ya, yb) : 0.0f;
  const uint32_t diff = sameRoot || rootsKnown == L.knownSynonym || rootsShare > 0 ? static_cast<uint32_t>(chainA ^ chainB) : 0u;
  const bool variant = sameRoot && diff == 0 && !spellingVariant;
  out[o++] = flag(variant && (multiA || multiB));
  out[o++] = flag(variant && !multiA && !multiB);
  // Bits past the classes land, in the JS, on cues written after this one: the same as none.
  std::fill(out + o, out + o + L.derivationClasses, 0.0f);
  for (uint32_t rest = diff; rest != 0; rest &= rest - 1) {
    const int bit = __builtin_ctz(rest);
    if (bit < L.derivationClasses) out[o + bit] = 1;
  }
  o += L.derivationClasses;
  out[o++] = flag(isWordExtension(s, sa, sb) || isWordExtension(s, sb, sa));
  const int32_t ga = sig[sa + L.flags];
  const int32_t gb = sig[sb + L.flags];
  out[o++] = flag(((ga ^ gb) & L.flagVerb) != 0);
  const int32_t ka = sameRoot ? 0 : sig[sa + L.finalClass];
  const int32_t kb = sameRoot ? 0 : sig[sb + L.finalClass];
  std::fill(out + o, out + o + L.finalCount, 0.0f);
  if (ka != kb) {
    const int32_t codes = static_cast<int32_t>(L.finalIndex.size());
    const int32_t ia = ka >= 0 && ka < codes ? L.finalIndex[ka] : -1;
    const int32_t ib = kb >= 0 && kb < codes ? L.finalIndex[kb] : -1;
    if (ia >= 0) out[o + ia] = 1;
    if (ib >= 0) out[o + ib] = 1;
  }
  o += L.finalCount;
  const int32_t na2 = sig[sa + L.numValue];
  const int32_t nb2 = sig[sb + L.numValue];
  const bool numbers = na2 != 0 && nb2 != 0 && na2 != nb2;
  out[o++] = flag(numbers);
  out[o++] = flag(numbers && sig[sa + L.numFrame] == sig[sb + L.numFrame]);

  int32_t wx = 0;
  int32_t wy = 0;
  if (wa == wb && wa >= 2) {
    if (sig[sa + L.prefixFrame] == sig[sb + L.prefixFrame] && sig[sa + L.lastWord] != sig[sb + L.lastWord]) {
      wx = sig[sa + L.lastWord];
      wy = sig[sb + L.lastWord];
    } else if (sig[sa + L.suffixFrame] == sig[sb + L.suffixFrame] && sig[sa + L.firstWord] != sig[sb + L.firstWord]) {
      wx = sig[sa + L.firstWord];
      wy = sig[sb + L.firstWord];
    }
  }
  int32_t known = wx == 0 ? 0 : knownRelation(s, wx, wy);
  if (((ga ^ gb) & L.flagNegative) != 0) known = known == L.knownSynonym ? L.knownAntonym : known == L.knownAntonym ? L.knownSynonym : known;
  out[o++] = flag(wx != 0);
  out[o++] = flag(known == L.knownSynonym);
  out[o++] = flag(known == L.knownAntonym);
  out[o++] = flag(known == L.knownCohyponym);
  out[o++] = flag(known == L.knownDerived);

  const int32_t chainXor = chainA ^ chainB;
  const bool negated = (chainXor & L.negating) != 0;
  const bool alike = (chainXor & ~L.negating) == 0;
  out[o++] = flag(alike && ((rootsKnown == L.knownSynonym && !negated) || (rootsKnown == L.knownAntonym && negated)));
  out[o++] = flag((rootsKnown == L.knownSynonym && negated) || (rootsKnown == L.knownAntonym && !negated && alike));
  const bool opposed = negated || prefixed;
  out[o++] = opposed ? rootsShare : 0.0f;
  out[o++] = !opposed && alike ? rootsShare : 0.0f;
  const float translated = knowledgeCues(s, ra, rb, out + o);
  o += 3 * L.languages + 2;
  out[o] = diff != 0 ? translated : 0.0f;
}

// The lines a pair's second row reads, a few pairs ahead. Pairs come sorted by their first row,
// so the second is a random row: its projections, text, signature, vector and knowledge offsets
// were each a cache miss, one after another (perf at 1M terms: 62% of the samples on six loads).
// The text's offset is fetched FAR ahead, the text itself NEAR ahead, when its offset is in cache.
constexpr size_t FAR = 16, NEAR = 8;
inline void prefetchRow(const Scorer& s, int32_t r) {
  PF(s.proj.p + static_cast<size_t>(r) * P);
  PF(s.textStart.p + r);
  PF(s.defStart.p + r);
  PF(s.headStart.p + r);
  PF(s.senseStart.p + r);
  const int32_t* sig = s.sig.p + static_cast<size_t>(r) * s.L.fields;
  PF(sig);
  PF(sig + s.L.fields - 1);
  const float* v = s.vectors.p + static_cast<size_t>(r) * s.dims;
  for (int32_t d = 0; d < s.dims; d += 16) PF(v + d);
}

// score.ts's scorePairRows up to the softmax: logits into out[C i .. C i + C).
void logits(Scorer& s, const int32_t* a, const int32_t* b, size_t n, double* out) {
  const Layout& L = s.L;
  const int32_t D = s.dims;
  const float* vec = s.vectors.p;
  const float* w = s.weights.p;
  const float* proj = s.proj.p;
  const float* x = s.x.data();
  const size_t prodAt = static_cast<size_t>(L.cues) * C;
  for (size_t i = 0; i < n; i++) {
    if (i + FAR < n) prefetchRow(s, b[i + FAR]);
    if (i + NEAR < n) PF(s.text.p + s.textStart[b[i + NEAR]]);
    const int32_t ra = a[i];
    const int32_t rb = b[i];
    const size_t va = static_cast<size_t>(ra) * D;
    const size_t vb = static_cast<size_t>(rb) * D;
    const size_t pa = static_cast<size_t>(ra) * P;
    const size_t pb = static_cast<size_t>(rb) * P;
    double l[C];
    for (int c = 0; c < C; c++) l[c] = static_cast<double>(s.bias[c]) + proj[pa + C + c] + proj[pb + C + c];
    double dot = 0;
    const size_t ea = static_cast<size_t>(ra) * L.fields;
    const size_t eb = static_cast<size_t>(rb) * L.fields;
    const bool evidence = ((s.sig[ea + L.flags] & L.flagKnows) != 0 || (s.sig[ea + L.defFlags] & L.defHas) != 0) &&
                          ((s.sig[eb + L.flags] & L.flagKnows) != 0 || (s.sig[eb + L.defFlags] & L.defHas) != 0);
    if (evidence) {
      for (int c = 0; c < C; c++) l[c] += static_cast<double>(proj[pa + c]) + proj[pb + c];
      if (s.withProduct) {
        for (size_t d = 0, k = prodAt; d < static_cast<size_t>(D); d++, k += C) {
          const double pr = static_cast<double>(vec[va + d]) * vec[vb + d];
          dot += pr;
          for (int c = 0; c < C; c++) l[c] += pr * w[k + c];
        }
      } else {
        for (size_t d = 0; d < static_cast<size_t>(D); d++) dot += static_cast<double>(vec[va + d]) * vec[vb + d];
      }
    }
    pairCues(s, ra, rb, dot, evidence);
    for (size_t f = 0, k = 0; f < static_cast<size_t>(L.cues); f++, k += C) {
      const double v = x[f];
      if (v == 0) continue;
      for (int c = 0; c < C; c++) l[c] += v * w[k + c];
    }
    for (int c = 0; c < C; c++) out[i * C + c] = l[c];
  }
}

// --- the handle: arrays read, held and checked once ---

template <typename T>
bool field(napi_env env, napi_value object, const char* name, napi_typedarray_type type, Span<T>* out, std::vector<napi_ref>& refs) {
  T* data;
  if (!heldProperty(env, object, name, type, &data, &out->n, refs)) return false;
  out->p = data;
  return true;
}

// An offsets array of `rows` + 1 ascending entries from 0 or more, within `values`.
bool offsetsFit(const Span<int32_t>& start, int32_t rows, size_t values) {
  if (start.n != static_cast<size_t>(rows) + 1 || start[0] < 0 || static_cast<size_t>(start[rows]) > values) return false;
  for (int32_t r = 0; r < rows; r++)
    if (start[r + 1] < start[r]) return false;
  return true;
}

template <typename T>
bool allBelow(const Span<T>& s, int64_t limit) {
  for (size_t i = 0; i < s.n; i++)
    if (s[i] < 0 || static_cast<int64_t>(s[i]) >= limit) return false;
  return true;
}

bool layoutOf(napi_env env, napi_value value, Layout* L) {
  int32_t* v;
  size_t n;
  if (!typed(env, value, napi_int32_array, &v, &n) || n < LAYOUT_FIXED) return false;
  size_t i = 0;
  L->fields = v[i++];
  int32_t* sigIndex[SIG_INDEXES] = {&L->lemma, &L->head, &L->first, &L->words, &L->privStem, &L->privClass, &L->verbStem, &L->verbClass, &L->prefixStem, &L->negMarker,
                                    &L->reduplicated, &L->folded, &L->length, &L->norm, &L->compact, &L->defFlags, &L->rootWord, &L->headKey, &L->rootKey, &L->chain,
                                    &L->finalClass, &L->flags, &L->numValue, &L->numFrame, &L->prefixFrame, &L->lastWord, &L->suffixFrame, &L->firstWord};
  for (int32_t* f : sigIndex) {
    *f = v[i++];
    if (*f < 0 || *f >= L->fields) return false;
  }
  for (int32_t* f : {&L->flagVerb, &L->flagKnows, &L->flagNegative, &L->defHas, &L->defOpposite, &L->defNegated, &L->negating, &L->derivationClasses, &L->languages, &L->english,
                     &L->cues, &L->knownSynonym, &L->knownAntonym, &L->knownCohyponym, &L->knownDerived, &L->finalCount})
    *f = v[i++];
  const int32_t codes = v[i++];
  if (codes < 0 || n != LAYOUT_FIXED + static_cast<size_t>(codes)) return false;
  L->finalIndex.assign(v + i, v + n);
  if (L->derivationClasses < 0 || L->derivationClasses > 32 || L->languages < 1 || L->languages > 255 || L->english < 0 || L->english >= L->languages || L->finalCount < 0 ||
      L->finalCount > 64)
    return false;
  for (const int32_t f : L->finalIndex)
    if (f < -1 || f >= L->finalCount) return false;
  // The cues pairCues writes: what the JS counts (CUE_COUNT) must be the same number.
  return L->cues == 44 + L->derivationClasses + L->finalCount + 3 * L->languages;
}

void release(napi_env env, Scorer* s) {
  for (napi_ref ref : s->refs) napi_delete_reference(env, ref);
  s->refs.clear();
}

void finalize(napi_env env, void* data, void*) {
  Scorer* s = static_cast<Scorer*>(data);
  release(env, s);
  delete s;
}

const char* read(napi_env env, napi_value* argv, Scorer* s) {
  if (!layoutOf(env, argv[3], &s->L)) return "layout: not the one this addon was built for";
  napi_value t = argv[0];
  napi_value k = argv[1];
  napi_value m = argv[2];
  std::vector<napi_ref>& r = s->refs;
  const bool arrays = field(env, t, "text", napi_uint16_array, &s->text, r) && field(env, t, "textStart", napi_int32_array, &s->textStart, r) &&
                      field(env, t, "signature", napi_int32_array, &s->sig, r) && field(env, t, "defStart", napi_int32_array, &s->defStart, r) &&
                      field(env, t, "defTokens", napi_int32_array, &s->defTokens, r) && field(env, t, "vectors", napi_float32_array, &s->vectors, r) &&
                      field(env, t, "wordPairKeys", napi_float64_array, &s->pairKeys, r) && field(env, t, "wordPairCodes", napi_uint8_array, &s->pairCodes, r) &&
                      field(env, k, "headStart", napi_int32_array, &s->headStart, r) && field(env, k, "heads", napi_int32_array, &s->heads, r) &&
                      field(env, k, "headLanguage", napi_uint8_array, &s->headLanguage, r) && field(env, k, "headWeight", napi_float32_array, &s->headWeight, r) &&
                      field(env, k, "senseStart", napi_int32_array, &s->senseStart, r) && field(env, k, "senses", napi_int32_array, &s->senses, r) &&
                      field(env, k, "senseLanguage", napi_uint8_array, &s->senseLanguage, r) && field(env, k, "senseWeight", napi_float32_array, &s->senseWeight, r) &&
                      field(env, k, "directStart", napi_int32_array, &s->directStart, r) && field(env, k, "direct", napi_int32_array, &s->direct, r) &&
                      field(env, k, "similarStart", napi_int32_array, &s->similarStart, r) && field(env, k, "similar", napi_int32_array, &s->similar, r) &&
                      field(env, k, "wordKeys", napi_int32_array, &s->wordKeys, r) && field(env, k, "wordRows", napi_int32_array, &s->wordRows, r) &&
                      field(env, m, "weights", napi_float32_array, &s->weights, r) && field(env, m, "bias", napi_float32_array, &s->bias, r) &&
                      field(env, m, "projections", napi_float32_array, &s->proj, r);
  if (!arrays) return "table, knowledge or model: an array is missing or of the wrong type";
  napi_value value;
  int32_t dims;
  if (napi_get_named_property(env, t, "dims", &value) != napi_ok || napi_get_value_int32(env, value, &dims) != napi_ok || dims < 0) return "table.dims: not a count";
  if (napi_get_named_property(env, m, "withProduct", &value) != napi_ok || napi_get_value_bool(env, value, &s->withProduct) != napi_ok) return "model.withProduct: not a boolean";
  if (s->textStart.n == 0 || s->textStart.n - 1 > static_cast<size_t>(INT32_MAX / P)) return "table.textStart: no rows";
  const int32_t rows = static_cast<int32_t>(s->textStart.n - 1);
  s->rows = rows;
  s->dims = dims;
  const Layout& L = s->L;
  if (!offsetsFit(s->textStart, rows, s->text.n)) return "table.textStart: offsets do not fit the text";
  if (!offsetsFit(s->defStart, rows, s->defTokens.n)) return "table.defStart: offsets do not fit the definition tokens";
  if (s->sig.n < static_cast<size_t>(rows) * L.fields) return "table.signature: shorter than its rows";
  if (s->vectors.n < static_cast<size_t>(rows) * dims) return "table.vectors: shorter than its rows";
  if (s->pairCodes.n < s->pairKeys.n) return "table.wordPairCodes: fewer than the keys";
  if (!offsetsFit(s->headStart, rows, s->heads.n) || !offsetsFit(s->senseStart, rows, s->senses.n) || !offsetsFit(s->directStart, rows, s->direct.n) ||
      !offsetsFit(s->similarStart, rows, s->similar.n))
    return "knowledge: offsets do not fit their rows and values";
  if (!allBelow(s->heads, static_cast<int64_t>(std::min(s->headLanguage.n, s->headWeight.n))) || !allBelow(s->senses, static_cast<int64_t>(std::min(s->senseLanguage.n, s->senseWeight.n))))
    return "knowledge: a headword or sense id without its language and weight";
  if (!allBelow(s->headLanguage, L.languages) || !allBelow(s->senseLanguage, L.languages)) return "knowledge: a language index out of range";
  if (s->wordRows.n < s->wordKeys.n || !allBelow(s->wordRows, rows)) return "knowledge.wordRows: a row out of range";
  if (s->proj.n < static_cast<size_t>(rows) * P) return "model.projections: shorter than the table's rows";
  if (s->bias.n < C) return "model.bias: fewer than five classes";
  if (s->weights.n < static_cast<size_t>(L.cues + (s->withProduct ? dims : 0)) * C) return "model.weights: shorter than the cues and product";
  s->x.assign(L.cues, 0.0f);
  s->sharedSenses.assign(L.languages, 0.0f);
  s->sharedHeads.assign(L.languages, 0.0f);
  s->rootSenses.assign(L.languages, 0.0f);
  s->headsA.assign(L.languages, 0);
  s->headsB.assign(L.languages, 0);
  return nullptr;
}

napi_value relationScorer(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  const char* where = "relationScorer(table, knowledge, model, layout)";
  if (arguments(env, info, argv) != 4) return fail(env, where, "four arguments");
  Scorer* s = new Scorer();
  const char* problem = read(env, argv, s);
  if (problem != nullptr) {
    release(env, s);
    delete s;
    return fail(env, where, problem);
  }
  napi_value handle;
  if (napi_create_external(env, s, finalize, nullptr, &handle) != napi_ok) {
    release(env, s);
    delete s;
    return fail(env, where, "could not make its handle");
  }
  napi_type_tag_object(env, handle, &SCORER_TAG);
  return handle;
}

napi_value relationLogits(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  const char* where = "relationLogits(handle, a, b, n, logits)";
  if (arguments(env, info, argv) != 5) return fail(env, where, "five arguments");
  bool tagged = false;
  void* data = nullptr;
  if (napi_check_object_type_tag(env, argv[0], &SCORER_TAG, &tagged) != napi_ok || !tagged || napi_get_value_external(env, argv[0], &data) != napi_ok)
    return fail(env, where, "not a handle from relationScorer");
  Scorer* s = static_cast<Scorer*>(data);
  int32_t *a, *b;
  size_t na, nb, no;
  double* out;
  int32_t n;
  if (!typed(env, argv[1], napi_int32_array, &a, &na) || !typed(env, argv[2], napi_int32_array, &b, &nb) || napi_get_value_int32(env, argv[3], &n) != napi_ok ||
      !typed(env, argv[4], napi_float64_array, &out, &no))
    return fail(env, where, "bad argument");
  if (n < 0 || static_cast<size_t>(n) > na || static_cast<size_t>(n) > nb || no < static_cast<size_t>(n) * C) return fail(env, where, "n pairs do not fit the arrays");
  for (int32_t i = 0; i < n; i++)
    if (a[i] < 0 || a[i] >= s->rows || b[i] < 0 || b[i] >= s->rows) return fail(env, where, "a row out of the table");
  logits(*s, a, b, static_cast<size_t>(n), out);
  return nullptr;
}

}  // namespace

void registerRelations(napi_env env, napi_value exports) {
  exportFunction(env, exports, "relationScorer", relationScorer);
  exportFunction(env, exports, "relationLogits", relationLogits);
}
