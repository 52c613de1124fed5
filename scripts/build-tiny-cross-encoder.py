#!/usr/bin/python3
"""Writes a tiny, random, BERT-shaped 3-class cross-encoder (sequence classifier) for transformers.js.

Output: test/fixtures/tiny-cross-encoder/ (config.json, tokenizer.json, tokenizer_config.json,
onnx/model.onnx), well under 1 MB, used by test/relations-cross-encoder.test.ts so that the
cross-encoder relation backend is exercised end to end (pair tokenizer -> ONNX Runtime -> logits
-> label mapping) without any hub download. It has the shape of the published method's model (a
fine-tuned encoder reading "[CLS] a [SEP] b [SEP]" with a 3-class linear head), at toy size.

The model is the encoder of build-tiny-bert.py (imported from there: same vocabulary, tokenizer
and, with the same seed, the same encoder weights), plus BERT's sequence-classification head:
the [CLS] vector through the pooler (dense + tanh) and a linear classifier to `logits`
[batch, 3]. Head weights are random (fixed seed), so different pairs give different logits; the
numbers mean nothing.

Order-sensitive, on purpose: the tokenizer's pair template gives the first term token type 0 and
the second token type 1 (different token-type embeddings), so (a, b) and (b, a) give different
logits, as a real cross-encoder does. That lets the tests check that `symmetric` averaging
really changes something.

The labels in config.json (`id2label`) are Turkish names, not synograph's relation names, so
that a test has to go through the label mapping: 0 `eş anlamlı` (synonym), 1 `zıt anlamlı`
(antonym), 2 `eş düzey` (co-hyponym).

Deterministic: the same onnx/numpy give byte-identical files on every run.

Needs Python's onnx and numpy (Debian: `apt-get install -y python3-onnx`); run with the system
Python from the repository root:

    /usr/bin/python3 scripts/build-tiny-cross-encoder.py
"""

import importlib.util
import os
import sys

import numpy as np
from onnx import TensorProto, helper

# build-tiny-bert.py is a script (hyphenated name), so it is loaded by path; no __pycache__ is
# left in scripts/.
sys.dont_write_bytecode = True
_spec = importlib.util.spec_from_file_location(
    'build_tiny_bert', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'build-tiny-bert.py'))
tb = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tb)

OUT = os.path.join(tb.ROOT, 'test', 'fixtures', 'tiny-cross-encoder')
LABELS = ['eş anlamlı', 'zıt anlamlı', 'eş düzey']
# Classifier weight scale: larger than the default 1/sqrt(n) so that the probabilities are far
# from uniform and a permuted label map visibly permutes the columns.
CLASSIFIER_SCALE = 3.0


def config(vocab_size):
    base = tb.config(vocab_size)
    base.update({
        '_name_or_path': 'synograph/tiny-cross-encoder-test',
        'architectures': ['BertForSequenceClassification'],
        'problem_type': 'single_label_classification',
        'id2label': {str(i): name for i, name in enumerate(LABELS)},
        'label2id': {name: i for i, name in enumerate(LABELS)},
    })
    return base


def build_model(vocab_size):
    g = tb.Graph(np.random.RandomState(tb.SEED))
    hidden = tb.build_encoder(g, vocab_size)
    # BertForSequenceClassification: pooled = tanh(dense(h[:, 0])), logits = classifier(pooled).
    cls = g.op('Gather', [hidden, g.const('cls_index', np.array(0, np.int64))], axis=1)
    pooled = g.op('Tanh', [g.linear(cls, 'pooler.dense', tb.HIDDEN, tb.HIDDEN)])
    w = g.weight('classifier.weight', (tb.HIDDEN, len(LABELS)), CLASSIFIER_SCALE / np.sqrt(tb.HIDDEN))
    b = g.weight('classifier.bias', (len(LABELS),), 0.1)
    logits = g.op('Add', [g.op('MatMul', [pooled, w]), b])
    g.nodes.append(helper.make_node('Identity', [logits], ['logits'], name='output_node'))
    outputs = [helper.make_tensor_value_info('logits', TensorProto.FLOAT, ['batch_size', len(LABELS)])]
    return tb.finish_model(g, 'tiny_cross_encoder', outputs, 'synograph-build-tiny-cross-encoder')


def main():
    # The tiny BERT tokenizer already has the pair template: [CLS] a [SEP] b [SEP], token types
    # 0 for [CLS] a [SEP] and 1 for b [SEP].
    tb.write_fixture(OUT, config, build_model, f', {len(LABELS)} labels')


if __name__ == '__main__':
    main()
