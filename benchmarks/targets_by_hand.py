"""How often the target of a name-calling span is right, against targets judged by hand.

Usage: python benchmarks/targets_by_hand.py ../shared/allsides-news/articles.jsonl

The first 50 name-calling spans shown at 20% or more that the bundled model found in AllSides
articles (articles no model here was trained on; ids, offsets and judgements below), each
judged by reading its sentence: the named entity it is aimed at, or None where it aims
at no named entity (a class, an idea, an unnamed group). A prediction is right when it names
the same entity (a part of its name, such as "Donald" for Donald Trump, counts; a place named
after a person, such as "Oscar Grant Plaza" for Oscar Grant, does not). Prints the share right
among spans with a named target, and how often spans without one get no target.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from propscan.article import Article
from propscan.attribute import attribute
from propscan.pipeline import analyze

NAME_CALLING = "Name_Calling,Labeling"

JUDGED = [
    ("O7omTMdR7Gc63Mho", 108, 132, "Wayfair"),
    ("GG7oTrnyTxUypBv9", 1556, 1565, "Democrats"),
    ("6DzjOJfN7laGUNyJ", 1521, 1544, "Donald Trump"),
    ("6DzjOJfN7laGUNyJ", 1696, 1728, "Larry Kroneberger"),
    ("6DzjOJfN7laGUNyJ", 6115, 6134, None),
    ("JTqX1rJGYRcjlqYZ", 1256, 1280, "African-American"),
    ("JTqX1rJGYRcjlqYZ", 2148, 2165, None),
    ("nfE1CK2Wa1dEqMBQ", 2347, 2367, "Hillary Clinton"),
    ("nfE1CK2Wa1dEqMBQ", 2665, 2675, "Melania"),
    ("nfE1CK2Wa1dEqMBQ", 3142, 3163, "Hillary Clinton"),
    ("nfE1CK2Wa1dEqMBQ", 3530, 3564, "Ken Starr"),
    ("nfE1CK2Wa1dEqMBQ", 3582, 3623, None),
    ("S9It9WZAHzdrGQza", 604, 637, None),
    ("S9It9WZAHzdrGQza", 1381, 1412, "Iowa"),
    ("l6BV1y16KV4rUiGt", 675, 692, "Nikki Haley"),
    ("l6BV1y16KV4rUiGt", 803, 824, "Nikki Haley"),
    ("l6BV1y16KV4rUiGt", 2908, 2921, "Gang of Eight"),
    ("l6BV1y16KV4rUiGt", 3297, 3317, None),
    ("l6BV1y16KV4rUiGt", 3721, 3763, "Paul Ryan"),
    ("w99V8GWTl6xwARxO", 114, 135, "Yazidis"),
    ("w99V8GWTl6xwARxO", 145, 154, None),
    ("w99V8GWTl6xwARxO", 10983, 10995, "Yazidi"),
    ("NfKu5eK0n7FR5i5S", 1522, 1567, None),
    ("NfKu5eK0n7FR5i5S", 4557, 4573, None),
    ("OdNauLOiluoaf6uY", 1339, 1371, "San Francisco"),
    ("OdNauLOiluoaf6uY", 1829, 1850, "Oscar Grant"),
    ("OdNauLOiluoaf6uY", 2242, 2253, "Kamala Harris"),
    ("OdNauLOiluoaf6uY", 4279, 4314, "Kevin Cooper"),
    ("OdNauLOiluoaf6uY", 5129, 5138, None),
    ("OdNauLOiluoaf6uY", 5148, 5168, None),
    ("OdNauLOiluoaf6uY", 5568, 5576, "Donald Trump"),
    ("B0IuGFksxoc1PHzR", 549, 560, "Donald Trump"),
    ("B0IuGFksxoc1PHzR", 815, 824, "Ted Cruz"),
    ("B0IuGFksxoc1PHzR", 882, 891, None),
    ("B0IuGFksxoc1PHzR", 1448, 1468, "Donald Trump"),
    ("B0IuGFksxoc1PHzR", 1510, 1525, "Donald Trump"),
    ("B4Z62iNPQhCnNWPm", 655, 669, None),
    ("CiuLM3JApPtsMIej", 152, 170, "Facebook"),
    ("CiuLM3JApPtsMIej", 413, 434, "Facebook"),
    ("CiuLM3JApPtsMIej", 2173, 2184, None),
    ("BpTF73y8pKbh4Nmo", 669, 677, "Donald Trump"),
    ("BpTF73y8pKbh4Nmo", 731, 784, None),
    ("BpTF73y8pKbh4Nmo", 793, 804, None),
    ("BpTF73y8pKbh4Nmo", 920, 944, None),
    ("BpTF73y8pKbh4Nmo", 2772, 2804, "Donald Trump"),
    ("BpTF73y8pKbh4Nmo", 3650, 3663, None),
    ("BpTF73y8pKbh4Nmo", 3770, 3785, None),
    ("BpTF73y8pKbh4Nmo", 3902, 3926, "Manhattan"),
    ("BpTF73y8pKbh4Nmo", 4602, 4647, None),
    ("BpTF73y8pKbh4Nmo", 4891, 4909, "Black Lives Matter"),
]
"""(AllSides article ID, start, end, the entity the span is aimed at, judged by hand)."""


def same_entity(predicted: str | None, judged: str) -> bool:
    if predicted is None or predicted.endswith(" Plaza"):
        return False
    p, j = predicted.lower(), judged.lower()
    return p == j or p in j or j in p


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", type=Path, help="the AllSides articles.jsonl")
    args = parser.parse_args()
    wanted = {ident for ident, *_ in JUDGED}
    texts = {}
    with args.articles.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record["ID"] in wanted:
                texts[record["ID"]] = record["content_original"]
    targets = {}
    for ident, text in texts.items():
        for span in attribute(analyze(Article(ident, text))).spans:
            if span.technique == NAME_CALLING:
                targets[ident, span.start, span.end] = span.target
    named = [(targets.get((i, s, e)), j) for i, s, e, j in JUDGED if j is not None]
    unnamed = [targets.get((i, s, e)) for i, s, e, j in JUDGED if j is None]
    right = sum(same_entity(p, j) for p, j in named)
    found = sum((i, s, e) in targets for i, s, e, _ in JUDGED)
    print(f"{found} of {len(JUDGED)} judged spans found again by the model")
    share = right / len(named)
    print(f"spans with a named target: {len(named)}; target right: {right} ({share:.1%})")
    none = sum(p is None for p in unnamed)
    print(f"spans aimed at no named entity: {len(unnamed)}; given no target: {none}")


if __name__ == "__main__":
    main()
