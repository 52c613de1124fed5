#!/usr/bin/python3
"""Writes a tiny, random, BERT-shaped feature-extraction model for transformers.js.

Output: test/fixtures/tiny-bert/ (config.json, tokenizer.json, tokenizer_config.json,
onnx/model.onnx), well under 1 MB, used by test/embed-transformers.test.ts so that the
`transformers` embedder backend is exercised end to end (tokenizer -> ONNX Runtime -> mean
pooling) without any hub download.

The model is a real, if untrained, BERT encoder layer: token + position + token-type
embeddings, LayerNorm, one 4-head self-attention block (with the attention mask applied to the
keys) and one feed-forward block, each followed by a residual LayerNorm. Its weights are random
(fixed seed), so different tokens give different vectors; the vectors mean nothing.

Deterministic: the same onnx/numpy give byte-identical files on every run.

Needs Python's onnx and numpy (Debian: `apt-get install -y python3-onnx`); run with the system
Python from the repository root:

    /usr/bin/python3 scripts/build-tiny-bert.py
"""

import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SEED = 20240611
HIDDEN = 32
HEADS = 4
HEAD_DIM = HIDDEN // HEADS
INTERMEDIATE = 64
MAX_POSITIONS = 128
TYPE_VOCAB = 2
LN_EPS = 1e-12
OPSET = 13  # plain ops only (LayerNorm is spelled out), so any ONNX Runtime >= 1.8 runs it
IR_VERSION = 8

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'tiny-bert')

SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']

# Turkish alphabet (plus q w x and the circumflex vowels used in loanwords), all lowercase:
# synograph lowercases with Turkish rules before tokenising (see tokenizer notes below).
LETTERS = list('abcçdefgğhıijklmnoöprsştuüvyz') + list('qwx') + list('âîûôê')
DIGITS = list('0123456789')
PUNCT = list('.,;:!?\'"-()/&%+')

# Common Turkish stems and whole words, and suffixes as ##continuations.
WORDS = [
    'ev', 'okul', 'kitap', 'araba', 'göz', 'su', 'kar', 'kâr', 'yol', 'gün', 'yıl', 'el', 'baş',
    'iş', 'dil', 'söz', 'kalem', 'masa', 'kapı', 'oda', 'şehir', 'köy', 'deniz', 'dağ', 'ağaç',
    'çiçek', 'güzel', 'büyük', 'küçük', 'iyi', 'kötü', 'yeni', 'eski', 'hızlı', 'yavaş', 'sıcak',
    'soğuk', 'açık', 'kapalı', 'doğru', 'yanlış', 'istanbul', 'ankara', 'izmir', 'türk', 'türkiye',
    'türkçe', 'insan', 'kişi', 'çocuk', 'anne', 'baba', 'kardeş', 'arkadaş', 'öğretmen',
    'öğrenci', 'doktor', 'hasta', 'hastane', 'para', 'zaman', 'hayat', 'dünya', 'ülke', 'millet',
    'hükümet', 'devlet', 'sevgi', 'aşk', 'mutlu', 'üzgün', 'korku', 'umut', 'bilgi', 'bilgisayar',
    'telefon', 'haber', 'gazete', 'dergi', 'müzik', 'resim', 'sanat', 'bilim', 'tarih', 'coğrafya',
    'matematik', 've', 'ile', 'bir', 'bu', 'şu', 'o', 'ne', 'çok', 'az', 'daha', 'en', 'gibi',
    'için', 'kadar', 'sonra', 'önce', 'var', 'yok', 'değil', 'ama', 'fakat', 'lakin', 'çünkü',
    'gel', 'git', 'gör', 'yap', 'et', 'ol', 'ver', 'al', 'bak', 'koş', 'yaz', 'oku', 'sev',
    'kalp', 'hâl', 'rüzgâr', 'dükkân', 'kâğıt', 'millî', 'resmî',
]
SUFFIXES = [
    'ler', 'lar', 'de', 'da', 'te', 'ta', 'den', 'dan', 'ten', 'tan', 'e', 'a', 'ye', 'ya',
    'i', 'ı', 'u', 'ü', 'yi', 'yı', 'yu', 'yü', 'in', 'ın', 'un', 'ün', 'nin', 'nın', 'nun',
    'nün', 'si', 'sı', 'su', 'sü', 'lik', 'lık', 'luk', 'lük', 'li', 'lı', 'lu', 'lü', 'siz',
    'sız', 'suz', 'süz', 'ci', 'cı', 'cu', 'cü', 'çi', 'çı', 'çu', 'çü', 'mek', 'mak', 'me',
    'ma', 'di', 'dı', 'du', 'dü', 'ti', 'tı', 'tu', 'tü', 'miş', 'mış', 'muş', 'müş', 'ecek',
    'acak', 'iyor', 'ıyor', 'uyor', 'üyor', 'im', 'ım', 'um', 'üm', 'sin', 'sın', 'iz', 'ız',
    'ken', 'ce', 'ca', 'çe', 'ça', 'le', 'la', 'ki', 'daş', 'taş', 'gil', 'cik', 'cık',
    'lan', 'len', 'leş', 'laş', 'sel', 'sal', 'ir', 'ır', 'ur', 'ür', 'ar', 'er',
]


def build_vocab():
    vocab = []
    seen = set()

    def add(tok):
        if tok not in seen:
            seen.add(tok)
            vocab.append(tok)

    for tok in SPECIAL:
        add(tok)
    for tok in LETTERS + DIGITS + PUNCT:
        add(tok)
    for tok in LETTERS + DIGITS:
        add('##' + tok)
    for tok in WORDS:
        add(tok)
    for tok in SUFFIXES:
        add('##' + tok)
    # Two-letter continuation pieces over the plain Turkish letters: a few hundred more entries,
    # so that unseen words split into pieces rather than single characters.
    common = list('aeıioöuü')
    for c in list('bcçdfgğhjklmnprsştvyz'):
        for v in common:
            add('##' + c + v)
    return vocab


def tokenizer_json(vocab):
    ids = {tok: i for i, tok in enumerate(vocab)}
    added = [
        {
            'id': ids[tok],
            'content': tok,
            'single_word': False,
            'lstrip': False,
            'rstrip': False,
            'normalized': False,
            'special': True,
        }
        for tok in SPECIAL
    ]
    special = {
        tok: {'id': tok, 'ids': [ids[tok]], 'tokens': [tok]} for tok in ('[CLS]', '[SEP]')
    }
    return {
        'version': '1.0',
        'truncation': None,
        'padding': None,
        'added_tokens': added,
        # Why `lowercase: false` (and `do_lower_case: false` in tokenizer_config.json):
        # synograph passes every term through normalizeTerm (Turkish lowercase, NFC) BEFORE it
        # reaches the tokenizer. BERT's own normaliser lowercases with the locale-free Unicode
        # rules, which are wrong for Turkish: `I` becomes `i` (must be `ı`) and `İ` becomes
        # `i` + U+0307 COMBINING DOT ABOVE, a second code point that WordPiece then turns into an
        # unknown piece. With `lowercase: true`, `strip_accents` also defaults to on and folds
        # ç ğ ı ö ş ü â î û into c g i o s u a i u, merging distinct Turkish words (kâr/kar,
        # sıcak/sicak). So the tokenizer must neither lowercase nor strip accents.
        'normalizer': {
            'type': 'BertNormalizer',
            'clean_text': True,
            'handle_chinese_chars': True,
            'strip_accents': False,
            'lowercase': False,
        },
        'pre_tokenizer': {'type': 'BertPreTokenizer'},
        'post_processor': {
            'type': 'TemplateProcessing',
            'single': [
                {'SpecialToken': {'id': '[CLS]', 'type_id': 0}},
                {'Sequence': {'id': 'A', 'type_id': 0}},
                {'SpecialToken': {'id': '[SEP]', 'type_id': 0}},
            ],
            'pair': [
                {'SpecialToken': {'id': '[CLS]', 'type_id': 0}},
                {'Sequence': {'id': 'A', 'type_id': 0}},
                {'SpecialToken': {'id': '[SEP]', 'type_id': 0}},
                {'Sequence': {'id': 'B', 'type_id': 1}},
                {'SpecialToken': {'id': '[SEP]', 'type_id': 1}},
            ],
            'special_tokens': special,
        },
        'decoder': {'type': 'WordPiece', 'prefix': '##', 'cleanup': True},
        'model': {
            'type': 'WordPiece',
            'unk_token': '[UNK]',
            'continuing_subword_prefix': '##',
            'max_input_chars_per_word': 100,
            'vocab': ids,
        },
    }


def tokenizer_config():
    return {
        'tokenizer_class': 'BertTokenizer',
        # See the normaliser comment in tokenizer_json(): synograph lowercases (Turkish rules)
        # before tokenising, so the tokenizer must not lowercase or strip accents itself.
        'do_lower_case': False,
        'strip_accents': False,
        'tokenize_chinese_chars': True,
        'model_max_length': MAX_POSITIONS,
        'cls_token': '[CLS]',
        'sep_token': '[SEP]',
        'pad_token': '[PAD]',
        'unk_token': '[UNK]',
        'mask_token': '[MASK]',
        'clean_up_tokenization_spaces': True,
    }


def config(vocab_size):
    return {
        '_name_or_path': 'synograph/tiny-bert-test',
        'architectures': ['BertModel'],
        'model_type': 'bert',
        'vocab_size': vocab_size,
        'hidden_size': HIDDEN,
        'num_hidden_layers': 1,
        'num_attention_heads': HEADS,
        'intermediate_size': INTERMEDIATE,
        'hidden_act': 'relu',
        'hidden_dropout_prob': 0.0,
        'attention_probs_dropout_prob': 0.0,
        'max_position_embeddings': MAX_POSITIONS,
        'type_vocab_size': TYPE_VOCAB,
        'layer_norm_eps': LN_EPS,
        'initializer_range': 0.5,
        'pad_token_id': 0,
        'position_embedding_type': 'absolute',
        'torch_dtype': 'float32',
    }


class Graph:
    def __init__(self, rng):
        self.rng = rng
        self.nodes = []
        self.inits = []
        self.count = 0

    def name(self, base):
        self.count += 1
        return f'{base}_{self.count}'

    def weight(self, name, shape, scale):
        arr = (self.rng.standard_normal(shape) * scale).astype(np.float32)
        self.inits.append(numpy_helper.from_array(arr, name))
        return name

    def const(self, name, arr):
        self.inits.append(numpy_helper.from_array(np.asarray(arr), name))
        return name

    def op(self, op_type, inputs, base=None, **attrs):
        out = self.name(base or op_type.lower())
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=out + '_node', **attrs))
        return out

    def layer_norm(self, x, prefix):
        gamma = self.const(prefix + '.weight', np.ones(HIDDEN, np.float32))
        beta = self.const(prefix + '.bias', np.zeros(HIDDEN, np.float32))
        mean = self.op('ReduceMean', [x], axes=[-1], keepdims=1)
        centred = self.op('Sub', [x, mean])
        var = self.op('ReduceMean', [self.op('Mul', [centred, centred])], axes=[-1], keepdims=1)
        std = self.op('Sqrt', [self.op('Add', [var, 'ln_eps'])])
        return self.op('Add', [self.op('Mul', [self.op('Div', [centred, std]), gamma]), beta])

    def linear(self, x, prefix, n_in, n_out):
        w = self.weight(prefix + '.weight', (n_in, n_out), 1.0 / np.sqrt(n_in))
        b = self.weight(prefix + '.bias', (n_out,), 0.02)
        return self.op('Add', [self.op('MatMul', [x, w]), b])


def build_encoder(g, vocab_size):
    """Adds the encoder to `g` (inputs input_ids, attention_mask, token_type_ids) and returns the
    name of its [batch, sequence, HIDDEN] output. Shared with build-tiny-cross-encoder.py, which
    puts a classification head on top: draws from g.rng in a fixed order, so the same seed gives
    the same encoder weights in both fixtures."""
    g.const('ln_eps', np.array(LN_EPS, np.float32))

    word = g.weight('embeddings.word_embeddings.weight', (vocab_size, HIDDEN), 1.0)
    pos = g.weight('embeddings.position_embeddings.weight', (MAX_POSITIONS, HIDDEN), 0.3)
    typ = g.weight('embeddings.token_type_embeddings.weight', (TYPE_VOCAB, HIDDEN), 0.3)

    # Embeddings: word[input_ids] + position[0..seq-1] + type[token_type_ids], then LayerNorm.
    shape = g.op('Shape', ['input_ids'])
    seq_len = g.op('Gather', [shape, g.const('one_i64', np.array(1, np.int64))], axis=0)
    positions = g.op('Range', [g.const('zero_i64', np.array(0, np.int64)), seq_len, 'one_i64'])
    emb = g.op('Add', [g.op('Gather', [word, 'input_ids'], axis=0),
                       g.op('Gather', [pos, positions], axis=0)])
    emb = g.op('Add', [emb, g.op('Gather', [typ, 'token_type_ids'], axis=0)])
    x = g.layer_norm(emb, 'embeddings.LayerNorm')

    # Self-attention, HEADS heads. Keys of padding positions get -10000 before the softmax.
    heads_shape = g.const('heads_shape', np.array([0, 0, HEADS, HEAD_DIM], np.int64))
    merged_shape = g.const('merged_shape', np.array([0, 0, HIDDEN], np.int64))

    def split(t):
        return g.op('Transpose', [g.op('Reshape', [t, heads_shape])], perm=[0, 2, 1, 3])

    q = split(g.linear(x, 'attention.self.query', HIDDEN, HIDDEN))
    k = split(g.linear(x, 'attention.self.key', HIDDEN, HIDDEN))
    v = split(g.linear(x, 'attention.self.value', HIDDEN, HIDDEN))
    kt = g.op('Transpose', [k], perm=[0, 1, 3, 2])
    scale = g.const('attn_scale', np.array(1.0 / np.sqrt(HEAD_DIM), np.float32))
    scores = g.op('Mul', [g.op('MatMul', [q, kt]), scale])
    mask = g.op('Cast', ['attention_mask'], to=TensorProto.FLOAT)
    mask = g.op('Unsqueeze', [mask, g.const('mask_axes', np.array([1, 2], np.int64))])
    bias = g.op('Mul', [g.op('Sub', [g.const('one_f', np.array(1.0, np.float32)), mask]),
                        g.const('neg_big', np.array(-10000.0, np.float32))])
    probs = g.op('Softmax', [g.op('Add', [scores, bias])], axis=-1)
    ctx = g.op('Transpose', [g.op('MatMul', [probs, v])], perm=[0, 2, 1, 3])
    ctx = g.op('Reshape', [ctx, merged_shape])
    attn = g.linear(ctx, 'attention.output.dense', HIDDEN, HIDDEN)
    x = g.layer_norm(g.op('Add', [x, attn]), 'attention.output.LayerNorm')

    # Feed-forward block.
    hidden = g.op('Relu', [g.linear(x, 'intermediate.dense', HIDDEN, INTERMEDIATE)])
    ff = g.linear(hidden, 'output.dense', INTERMEDIATE, HIDDEN)
    return g.layer_norm(g.op('Add', [x, ff]), 'output.LayerNorm')


def encoder_inputs():
    return [
        helper.make_tensor_value_info(n, TensorProto.INT64, ['batch_size', 'sequence_length'])
        for n in ('input_ids', 'attention_mask', 'token_type_ids')
    ]


def finish_model(g, graph_name, outputs, producer):
    """Wraps `g`'s nodes into a checked ONNX model with the encoder's inputs and `outputs`."""
    graph = helper.make_graph(g.nodes, graph_name, encoder_inputs(), outputs, initializer=g.inits)
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid('', OPSET)],
        producer_name=producer,
        producer_version='1',
    )
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model, full_check=True)
    return model


def build_model(vocab_size):
    g = Graph(np.random.RandomState(SEED))
    out = build_encoder(g, vocab_size)
    g.nodes.append(helper.make_node('Identity', [out], ['last_hidden_state'], name='output_node'))
    outputs = [helper.make_tensor_value_info(
        'last_hidden_state', TensorProto.FLOAT, ['batch_size', 'sequence_length', HIDDEN])]
    return finish_model(g, 'tiny_bert', outputs, 'synograph-build-tiny-bert')


def write_json(path, obj):
    with open(path, 'w', encoding='utf-8', newline='\n') as f:
        json.dump(obj, f, ensure_ascii=False, indent=2)
        f.write('\n')


def write_fixture(out, make_config, make_model, note=''):
    """Writes a model folder as transformers.js loads it: config.json (from make_config(vocab
    size)), the tokenizer files (the tokenizer has the pair template too) and onnx/model.onnx
    (from make_model(vocab size)). Shared with build-tiny-cross-encoder.py."""
    vocab = build_vocab()
    os.makedirs(os.path.join(out, 'onnx'), exist_ok=True)
    write_json(os.path.join(out, 'config.json'), make_config(len(vocab)))
    write_json(os.path.join(out, 'tokenizer.json'), tokenizer_json(vocab))
    write_json(os.path.join(out, 'tokenizer_config.json'), tokenizer_config())
    model = make_model(len(vocab))
    with open(os.path.join(out, 'onnx', 'model.onnx'), 'wb') as f:
        f.write(model.SerializeToString())
    total = sum(
        os.path.getsize(os.path.join(dp, fn)) for dp, _, fns in os.walk(out) for fn in fns
    )
    print(f'wrote {out}: vocab {len(vocab)}, hidden {HIDDEN}{note}, {total} bytes')


def main():
    write_fixture(OUT, config, build_model)


if __name__ == '__main__':
    main()
