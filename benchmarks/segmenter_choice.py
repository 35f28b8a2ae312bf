"""How well, how fast and at what cost Vietnamese word segmenters find word boundaries.

Measured on ``data/segmentation_gold_vi.txt`` (50 headlines segmented by hand). A *boundary* is a
space between two words; a space inside a word is not one. For line breaking, precision matters
most: a false boundary is a place where a line may break inside a word.

    python benchmarks/segmenter_choice.py            # ours (infographic/text/breaks.py)
    python benchmarks/segmenter_choice.py --pyvi     # also pyvi's CRF, if pyvi is installed

pyvi needs scikit-learn and sklearn-crfsuite; install it in a scratch venv, not the project's.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GOLD = Path(__file__).resolve().parent / "data" / "segmentation_gold_vi.txt"


def gold_lines() -> list[str]:
    return [line for line in GOLD.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]


def boundaries(segmented: str) -> list[bool]:
    """For each space of the raw line: True if it is a word boundary ("_" joins syllables)."""
    out: list[bool] = []
    for token in segmented.split(" "):
        out += [False] * token.count("_") + [True]
    return out[:-1]


def score(gold: list[str], predicted: list[list[bool]]) -> dict[str, float]:
    tp = fp = fn = 0
    for line, guess in zip(gold, predicted):
        for truth, said in zip(boundaries(line), guess):
            tp += truth and said
            fp += said and not truth
            fn += truth and not said
    return {"precision": tp / (tp + fp), "recall": tp / (tp + fn), "false": fp, "missed": fn}


def ours(lines: list[str]) -> tuple[list[list[bool]], float, float]:
    started = time.process_time()
    from infographic.text import breaks
    breaks.word_list()
    breaks.word_ends()  # built once with the list: part of loading it
    loaded = time.process_time() - started
    started = time.process_time()
    result = []
    for line in lines:
        tokens = line.split(" ")
        said: list[bool] = []
        for length in breaks.segment(tokens):
            said += [False] * (length - 1) + [True]
        result.append(said[:-1])
    return result, loaded, (time.process_time() - started) / len(lines)


def pyvi(lines: list[str]) -> tuple[list[list[bool]], float, float]:
    started = time.process_time()
    from pyvi import ViTokenizer  # loads its CRF model on import
    loaded = time.process_time() - started
    started = time.process_time()
    outputs = [ViTokenizer.tokenize(line) for line in lines]
    per_line = (time.process_time() - started) / len(lines)
    result = []
    for line, output in zip(lines, outputs):
        pieces = [(p, i == len(t.split("_")) - 1) for t in output.split(" ")
                  for i, p in enumerate(t.split("_"))]
        said, k = [], 0
        for token in line.split(" "):  # pyvi splits punctuation off: glue pieces back
            text, last = "", True
            while text != token and k < len(pieces):
                text += pieces[k][0]
                last = pieces[k][1]
                k += 1
            said.append(last)
        result.append(said[:-1])
    return result, loaded, per_line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pyvi", action="store_true", help="also measure pyvi (if installed)")
    args = parser.parse_args()
    gold = gold_lines()
    raw = [line.replace("_", " ") for line in gold]
    runs = [("word list (ours)", ours)] + ([("pyvi CRF", pyvi)] if args.pyvi else [])
    print(f"{len(gold)} lines, {sum(len(b) for b in map(boundaries, gold))} spaces")
    print(f"{'segmenter':<18} {'precision':>9} {'recall':>7} {'false':>6} {'missed':>7} "
          f"{'load ms':>8} {'ms/line':>8}")
    for name, run in runs:
        predicted, loaded, per_line = run(raw)
        s = score(gold, predicted)
        print(f"{name:<18} {s['precision']:9.3f} {s['recall']:7.3f} {s['false']:6d} "
              f"{s['missed']:7d} {loaded * 1000:8.0f} {per_line * 1000:8.3f}")


if __name__ == "__main__":
    main()
