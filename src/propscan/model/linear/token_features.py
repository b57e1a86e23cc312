"""Features of each token in its sentence, for the CRF span tagger."""

from __future__ import annotations

import re

from propscan.text.segment import Sentence, Token

_QUOTES = frozenset("\"'“”‘’«»")
_DIGIT = re.compile(r"\d")


def _shape(word: str) -> str:
    shape = re.sub(r"[A-Z]+", "X", word)
    shape = re.sub(r"[a-z]+", "x", shape)
    return _DIGIT.sub("d", shape)[:4]


def _word_features(token: Token, prefix: str) -> list[str]:
    word = token.text
    lower = word.lower()
    features = [f"{prefix}w={lower}", f"{prefix}shape={_shape(word)}"]
    if word.isupper() and len(word) > 1:
        features.append(f"{prefix}upper")
    return features


def sentence_features(sentence: Sentence, *, is_title: bool) -> list[list[str]]:
    """One feature list per token: the word, its neighbours, and cues of the sentence."""
    tokens = sentence.tokens
    words = [t.text for t in tokens]
    n = len(tokens)
    context = ["bias", f"len={min(n // 5, 8)}"]
    if is_title:
        context.append("title")
    if "!" in words:
        context.append("sent_has_!")
    if "?" in words:
        context.append("sent_has_?")
    if words[0] in _QUOTES:
        context.append("sent_starts_quote")

    quote_depth = 0
    result = []
    for i, token in enumerate(tokens):
        word = token.text
        lower = word.lower()
        features = [
            *context,
            *_word_features(token, ""),
            f"suf3={lower[-3:]}",
            f"pre3={lower[:3]}",
            f"pos={'first' if i == 0 else 'last' if i == n - 1 else f'{min(i * 4 // n, 3)}'}",
        ]
        if word[0].isupper():
            features.append("title_case")
        if word in _QUOTES:
            quote_depth ^= 1
        if quote_depth:
            features.append("in_quote")
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j < n:
                features.extend(_word_features(tokens[j], f"{offset}@"))
            else:
                features.append(f"{offset}@edge")
        if i > 0:
            features.append(f"bi-={words[i - 1].lower()}|{lower}")
        if i < n - 1:
            features.append(f"bi+={lower}|{words[i + 1].lower()}")
        result.append(features)
    return result
