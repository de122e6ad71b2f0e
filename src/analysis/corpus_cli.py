"""``python -m analysis corpus fetch | status | verify``: acquire, list and check the primary texts.

* ``fetch`` fills the cache ``data/raw/`` from the official URLs for every document that neither the
  cache nor the mirror holds; prints one line per document it could not get and a summary.
  Exit status: 0 when every document is available, missing or failed to download (missing is the
  normal state offline; the book shows the gap), **1 when a local copy (cache or mirror) is damaged
  or has the wrong hash** – that is a fault in this machine's data, fixed locally – and, with
  ``--strict``, 1 as well when any download failed or mismatched.
* ``status`` prints every manifest document with its status, source, characters and hash prefix,
  one line per document that is not available (what is missing, where it was searched, how to get
  it) and the counts (``13 of 72 available``). Exit 0.
* ``verify`` re-hashes every cached and mirrored copy against ``expected_sha256``; exit 1 on any
  mismatch or unreadable copy.

Options: ``--mirror PATH`` (default ``$CORPUS_MIRROR``), ``--offline`` (``fetch`` only; also
``CORPUS_OFFLINE=1``), ``--timeout`` / ``--retries`` (downloads), ``--no-progress``.
"""

from __future__ import annotations

import argparse

import pandas as pd

DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_READ_TIMEOUT = 30.0
DEFAULT_RETRIES = 2


def _counts_line(cov: pd.DataFrame) -> str:
    from analysis.corpus import STATUSES

    n = len(cov)
    counts = cov["status"].value_counts()
    parts = ", ".join(f"{s} {int(counts.get(s, 0))}" for s in STATUSES[1:])
    return f"{int(counts.get('available', 0))} of {n} available ({parts})"


def _by_level(cov: pd.DataFrame) -> str:
    from analysis.corpus.manifest import LEVELS

    lines = []
    for level in LEVELS:
        sub = cov[cov["level"] == level]
        if len(sub):
            lines.append(f"  {level:<13} {int((sub['status'] == 'available').sum()):>3} of {len(sub):>3} available")
    return "\n".join(lines)


def status_table(cov: pd.DataFrame) -> str:
    """The plain-text table printed by ``corpus status`` (deterministic)."""
    table = pd.DataFrame({
        "doc_id": cov["doc_id"],
        "level": cov["level"],
        "date": cov["date"],
        "status": cov["status"],
        "source": cov["source"],
        "chars": cov["chars"].map(lambda v: "" if pd.isna(v) else str(int(v))),
        "sha256": cov["sha256"].str.slice(0, 12),
    })
    widths = {c: max([len(c), *(len(v) for v in table[c])]) for c in table.columns}
    lines = ["  ".join(c.rjust(widths[c]) if c == "chars" else c.ljust(widths[c]) for c in table.columns).rstrip()]
    for _, row in table.iterrows():
        lines.append(
            "  ".join(row[c].rjust(widths[c]) if c == "chars" else row[c].ljust(widths[c]) for c in table.columns).rstrip()
        )
    return "\n".join(lines)


def _status(args: argparse.Namespace) -> int:
    from analysis.corpus import coverage

    cov = coverage(args.mirror, manifest=args.manifest, cache_dir=args.cache_dir)
    print(status_table(cov))
    problems = cov[cov["status"] != "available"]
    if len(problems):
        print()
        for message in problems["message"]:
            print(message)
    print()
    print(_counts_line(cov))
    print(_by_level(cov))
    return 0


def _fetch(args: argparse.Namespace) -> int:
    from analysis.corpus import HttpOptions, coverage, fetch

    options = HttpOptions(
        connect_timeout=args.connect_timeout, read_timeout=args.timeout, retries=args.retries, backoff=args.backoff
    )
    result = fetch(
        args.mirror,
        offline=True if args.offline else None,
        options=options,
        progress=False if args.no_progress else None,
        doc_ids=args.doc_ids or None,
        force=args.force,
        manifest=args.manifest,
        cache_dir=args.cache_dir,
    )
    for _, row in result.iterrows():
        if row["action"] != "kept":
            print(f"[{row['action']}] {row['message']}")
    actions = result["action"].value_counts()
    print()
    print("fetch: " + ", ".join(f"{a} {int(n)}" for a, n in sorted(actions.items())))
    cov = coverage(args.mirror, manifest=args.manifest, cache_dir=args.cache_dir)
    print("coverage: " + _counts_line(cov))
    bad_local = cov[cov["status"].isin(["hash mismatch", "failed"]) & cov["source"].isin(["cache", "mirror"])]
    for message in bad_local["message"]:
        print(f"damaged local copy: {message}")
    if len(bad_local):
        return 1
    if args.strict and cov["status"].isin(["hash mismatch", "failed"]).any():
        return 1
    return 0


def _verify(args: argparse.Namespace) -> int:
    from analysis.corpus import verify

    result = verify(args.mirror, manifest=args.manifest, cache_dir=args.cache_dir)
    for _, row in result.iterrows():
        sha = row["sha256"][:12] if row["sha256"] else "-"
        print(f"{row['result']:<11} {row['source']:<7} {row['doc_id']:<50} {sha}")
    for message in result.loc[result["result"].isin(["mismatch", "unreadable"]), "message"]:
        print(message)
    counts = result["result"].value_counts()
    print()
    print("verify: " + ", ".join(f"{r} {int(counts.get(r, 0))}" for r in ("ok", "mismatch", "unverified", "unreadable")))
    return 1 if counts.get("mismatch", 0) or counts.get("unreadable", 0) else 0


def add_commands(groups: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Register the ``corpus`` group and its commands on the top-level parser's subparsers."""
    corpus = groups.add_parser("corpus", help="acquire, list and verify the primary texts")
    commands = corpus.add_subparsers(dest="command", required=True)

    def with_mirror(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--mirror", default=None, metavar="PATH", help="corpus mirror folder (default: $CORPUS_MIRROR)")
        p.add_argument("--cache-dir", default=None, metavar="PATH", help="cache folder (default: data/raw)")
        p.add_argument("--manifest", default=None, metavar="PATH", help="manifest CSV (default: data/corpus/manifest.csv)")
        return p

    p = with_mirror(commands.add_parser("fetch", help="acquire every document the cache and mirror lack"))
    p.add_argument("--offline", action="store_true", help="never use the network (also CORPUS_OFFLINE=1)")
    p.add_argument("--timeout", type=float, default=DEFAULT_READ_TIMEOUT, metavar="S", help="read timeout in seconds")
    p.add_argument("--connect-timeout", type=float, default=DEFAULT_CONNECT_TIMEOUT, metavar="S", help="connect timeout in seconds")
    p.add_argument("--retries", type=int, default=DEFAULT_RETRIES, metavar="N", help="retries per URL")
    p.add_argument("--backoff", type=float, default=0.5, metavar="F", help="retry back-off factor")
    p.add_argument("--strict", action="store_true", help="exit 1 when any download failed or had the wrong hash")
    p.add_argument("--force", action="store_true", help="download again documents that are already available")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("doc_ids", nargs="*", metavar="DOC_ID", help="only these documents (default: all)")
    p.set_defaults(func=_fetch)

    p = with_mirror(commands.add_parser("status", help="list every manifest document with its status"))
    p.set_defaults(func=_status)

    p = with_mirror(commands.add_parser("verify", help="re-hash cached and mirrored texts against expected_sha256"))
    p.set_defaults(func=_verify)

