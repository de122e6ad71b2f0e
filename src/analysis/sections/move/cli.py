"""``python -m analysis coding codebook | show-sample | template | check-codes | draw-sample``.

The commands of the hand-coding validation (:mod:`analysis.sections.move.coding`, :mod:`analysis.sections.move.sample`):

* ``codebook`` prints the codebook (every dimension, code, definition, rule and example).
* ``show-sample`` prints the sampled passages from the local corpus for the coder: passage id, document,
  security words, the passage (security words in 【】) and some context. Nothing of the rules' output.
* ``template`` writes a blank codes file (``data/argument/validation_codes.csv``) for the coder; it never
  replaces an existing one.
* ``check-codes`` checks a codes file: every sampled passage coded once, every value allowed by the codebook.
* ``draw-sample`` draws the stratified sample from the local corpus and writes the sample and design files
  (once: ``--force`` to draw again; ``--check`` compares the committed files with a fresh draw). Not for
  the coder: it prints the strata, which are the rules' codes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

CODES_HELP = "the codes file (default: data/argument/validation_codes.csv)"


def _resolve(args: argparse.Namespace) -> argparse.Namespace:
    """Fill the defaults from :mod:`analysis.sections.move.sample` (imported only when a command runs)."""
    from analysis.sections.move import sample as cs

    defaults = {
        "sample": str(cs.SAMPLE_PATH), "codes": str(cs.CODES_PATH), "out": str(cs.CODES_PATH),
        "design": str(cs.DESIGN_PATH), "n": cs.SAMPLE_SIZE, "seed": cs.SAMPLE_SEED,
    }  # fmt: skip
    for key, value in defaults.items():
        if getattr(args, key, value) is None:
            setattr(args, key, value)
    return args


def _shown(path: str) -> str:
    """``path`` relative to the repository when it is inside it (messages name files as a reader sees them)."""
    from analysis.io.paths import PROJECT_ROOT

    p = Path(path).resolve()
    return str(p.relative_to(PROJECT_ROOT)) if p.is_relative_to(PROJECT_ROOT) else str(p)


def _texts() -> tuple[dict[str, str], dict[str, str]]:
    from analysis.corpus import load_corpus, select_topic
    from analysis.sections.move.sample import GROUPS

    corpus = select_topic(load_corpus(), GROUPS)
    texts = dict(zip(corpus["doc_id"], corpus["text"], strict=False))
    titles = {
        d: f"{t}, {date}" for d, t, date in zip(corpus["doc_id"], corpus["title_en"], corpus["date"], strict=False)
    }
    return texts, titles


def _codebook(args: argparse.Namespace) -> int:
    from analysis.sections.move.coding import codebook_markdown, load_codebook

    sys.stdout.write(codebook_markdown(load_codebook()))
    return 0


def _show_sample(args: argparse.Namespace) -> int:
    args = _resolve(args)
    from analysis.sections.move.sample import format_passages, read_sample, sample_passages

    sample = read_sample(Path(args.sample))
    texts, titles = _texts()
    passages = sample_passages(sample, texts, context=args.context)
    sys.stdout.write(format_passages(passages, titles))
    print(
        f"{len(passages)} passages. Code them from the codebook (`python -m analysis coding codebook`) "
        f"into {_shown(args.codes)}."
    )
    return 0


def _template(args: argparse.Namespace) -> int:
    args = _resolve(args)
    from analysis.io.fileio import atomic_write_text
    from analysis.sections.move.coding import load_codebook
    from analysis.sections.move.sample import SampleError, codes_template, read_sample

    out = Path(args.out)
    if out.exists():
        raise SampleError(f"{out}: exists; the coder's codes are never overwritten (remove it by hand to start again)")
    sample = read_sample(Path(args.sample))
    atomic_write_text(out, codes_template(sample, load_codebook().hand_columns()))
    print(f"wrote {out}: {len(sample)} passages to code")
    return 0


def _check_codes(args: argparse.Namespace) -> int:
    args = _resolve(args)
    from analysis.sections.move.coding import CodebookError, answer_problems, load_codebook
    from analysis.sections.move.sample import codes_problems, read_codes, read_sample

    codebook = load_codebook()
    path = Path(args.codes)
    sample = read_sample(Path(args.sample))
    codes = read_codes(
        path,
        codebook.hand_columns(),
        CodebookError,
        more=lambda frame: codes_problems(frame, sample) + answer_problems(codebook, frame),
    )
    print(f"{path}: {len(codes)} passages coded, every value allowed by the codebook")
    return 0


def _draw_sample(args: argparse.Namespace) -> int:
    args = _resolve(args)
    from analysis.corpus import load_corpus, select_topic
    from analysis.sections.move.sample import (
        GROUPS,
        SampleError,
        coverage,
        design_csv,
        draw_sample,
        sample_csv,
        strata_table,
        write_sample,
    )

    corpus = select_topic(load_corpus(), GROUPS)
    drawn = draw_sample(corpus, n=args.n, seed=args.seed)
    sample_path, design_path = Path(args.sample), Path(args.design)
    if args.check:
        same = [
            p.is_file() and p.read_text(encoding="utf-8") == text
            for p, text in ((sample_path, sample_csv(drawn)), (design_path, design_csv(drawn, args.seed)))
        ]
        if not all(same):
            raise SampleError(
                f"{sample_path} / {design_path} differ from a fresh draw (seed {args.seed}, n {args.n}) from these "
                "texts and rules; the committed sample stands, but it can no longer be reproduced here"
            )
        print(f"{sample_path} and {design_path} equal a fresh draw")
        return 0
    write_sample(drawn, sample_path, design_path, seed=args.seed, force=args.force)
    table = strata_table(drawn)
    print(table.to_string(index=False))
    print(coverage(drawn).to_string(index=False))
    print(f"wrote {sample_path} and {design_path}: {len(drawn.sample)} of {len(drawn.population)} passages")
    return 0


def add_commands(groups: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``coding`` group and its commands on the top-level parser's subparsers."""
    coding = groups.add_parser("coding", help="the codebook and the blind validation sample of the passage coding")
    commands = coding.add_subparsers(dest="command", required=True)

    def with_sample(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument(
            "--sample",
            default=None,
            metavar="PATH",
            help="the sample file (default: data/argument/validation_sample.csv)",
        )
        return p

    p = commands.add_parser("codebook", help="print the codebook")
    p.set_defaults(func=_codebook)

    p = with_sample(
        commands.add_parser("show-sample", help="print the sampled passages for the coder (no rule output)")
    )
    p.add_argument("--context", type=int, default=80, metavar="N", help="characters of context on each side")
    p.add_argument("--codes", default=None, metavar="PATH", help="where the coder writes the codes")
    p.set_defaults(func=_show_sample)

    p = with_sample(commands.add_parser("template", help="write a blank codes file for the coder"))
    p.add_argument("--out", default=None, metavar="PATH", help=CODES_HELP)
    p.set_defaults(func=_template)

    p = with_sample(commands.add_parser("check-codes", help="check a codes file against the sample and the codebook"))
    p.add_argument("codes", nargs="?", default=None, metavar="PATH", help=CODES_HELP)
    p.set_defaults(func=_check_codes)

    p = with_sample(commands.add_parser("draw-sample", help="draw the stratified sample (not for the coder)"))
    p.add_argument(
        "--design", default=None, metavar="PATH", help="the design file (default: data/argument/validation_design.csv)"
    )
    p.add_argument(
        "--n", type=int, default=None, metavar="N", help="passages to draw (default: coding_sample.SAMPLE_SIZE)"
    )
    p.add_argument(
        "--seed", type=int, default=None, metavar="SEED", help="the random seed (default: coding_sample.SAMPLE_SEED)"
    )
    p.add_argument("--force", action="store_true", help="replace an existing sample")
    p.add_argument("--check", action="store_true", help="compare the committed files with a fresh draw; write nothing")
    p.set_defaults(func=_draw_sample)
