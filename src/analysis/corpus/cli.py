"""``python -m analysis corpus fetch | status | verify``: acquire, list and check the primary texts.

* ``fetch`` (``make data``) puts every accepted text into the cache ``data/raw/``: mirror copies are
  copied, documents never tried before are downloaded from their official URLs; failures are
  recorded and not retried until ``--refresh`` (``make data REFRESH=1``), except class
  ``unreachable``, which every run that is not offline tries again. A warm run is a no-op (no text
  read, no network) when nothing changed – the manifest, the mirror (links followed), the cache, the
  drop folder, the code, the offline setting – unless ``unreachable`` records are left and the run
  is not offline. A run that hit a full disk leaves no state behind, so the next one does the work.
  Prints one line per
  document it did something about and a summary. Exit status: 0 when every document is available,
  missing or failed to download (missing is the normal state offline; the book shows the gap),
  **1 when a local copy (cache or mirror) is damaged or has the wrong hash, when the cache cannot
  be written, or when the mirror named by CORPUS_MIRROR / --mirror is not a folder** – faults of
  this machine, fixed locally – and, with ``--strict``, 1 as well when any download failed.
* ``status`` prints every manifest document with its status, origin, characters and hash prefix,
  one line per document that is not available (what is missing or why it failed, with the failure
  class and time) and the counts (``13 of 72 available``). Exit 0.
* ``verify`` re-hashes every cached and mirrored copy against ``expected_sha256``; exit 1 on any
  mismatch or unreadable copy.

Options: ``--mirror PATH`` (default ``$CORPUS_MIRROR``), ``--offline`` (``fetch`` only; also
``CORPUS_OFFLINE=1``), ``--archive URL`` (``fetch``; the Internet Archive's base URL, also
``CORPUS_ARCHIVE``; empty: no archive snapshots), ``--refresh``, ``--timeout`` / ``--deadline`` / ``--retries`` (downloads),
``--no-progress``. Expected faults print one line and exit non-zero; ``python -m analysis --debug``
shows the traceback.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported only when there is work to do: a warm `make data` does without it
    import pandas as pd

DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_READ_TIMEOUT = 30.0
DEFAULT_RETRIES = 2
DEFAULT_DEADLINE = 60.0


def _mirror_warning(mirror: str | None) -> str | None:
    """One line saying why the mirror cannot be used (it does not exist, or is a file); ``None`` if it can or none is set."""
    from analysis.io.paths import mirror_dir

    path = mirror_dir(mirror)
    if path is None or path.is_dir():
        return None
    what = "is a file, not a folder" if path.exists() else "does not exist"
    return (
        f"warning: the corpus mirror {path} {what}; texts come from the cache only. "
        "Fix CORPUS_MIRROR (or --mirror): a folder with manifest.csv and texts/, or empty for none"
    )


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
    import pandas as pd

    table = pd.DataFrame(
        {
            "doc_id": cov["doc_id"],
            "level": cov["level"],
            "date": cov["date"],
            "status": cov["status"],
            "source": cov["source"],
            "failure": cov["failure"],
            "chars": cov["chars"].map(lambda v: "" if pd.isna(v) else str(int(v))),
            "sha256": cov["sha256"].str.slice(0, 12),
        }
    )
    widths = {c: max([len(c), *(len(v) for v in table[c])]) for c in table.columns}
    lines = ["  ".join(c.rjust(widths[c]) if c == "chars" else c.ljust(widths[c]) for c in table.columns).rstrip()]
    for _, row in table.iterrows():
        lines.append(
            "  ".join(
                row[c].rjust(widths[c]) if c == "chars" else row[c].ljust(widths[c]) for c in table.columns
            ).rstrip()
        )
    return "\n".join(lines)


def _problem_lines(cov: pd.DataFrame, cache_dir: str | None) -> list[str]:
    """One line per document that is not available; recorded failures carry their class and time."""
    from pathlib import Path

    from analysis.corpus.cache import read_error_record
    from analysis.io.paths import RAW_DIR

    cdir = Path(cache_dir) if cache_dir else RAW_DIR
    lines = []
    for _, row in cov[cov["status"] != "available"].iterrows():
        record = read_error_record(row["doc_id"], cdir) if row["failure"] else None
        when = f" [{record['time']}]" if record and record.get("time") else ""
        label = f"{row['status']}" + (
            f" ({row['failure']})" if row["failure"] and row["failure"] != row["status"] else ""
        )
        lines.append(row["message"] if row["status"] == "missing" else f"{label}{when}: {row['message']}")
    return lines


def _status(args: argparse.Namespace) -> int:
    from analysis.corpus import coverage

    warning = _mirror_warning(args.mirror)
    if warning:
        print(warning, file=sys.stderr)
    for line in _record_warnings(args):
        print(line, file=sys.stderr)
    cov = coverage(args.mirror, manifest=args.manifest, cache_dir=args.cache_dir)
    print(status_table(cov))
    problems = _problem_lines(cov, args.cache_dir)
    if problems:
        print()
        for line in problems:
            print(line)
    print()
    print(_counts_line(cov))
    print(_by_level(cov))
    return 0


def _fingerprint(args: argparse.Namespace) -> str | None:
    """What a plain ``fetch`` depends on, without reading a text: the manifest's bytes, the mirror's and the
    cache's file names, sizes and times, the corpus code and the offline setting. ``None`` when the run
    must do its work anyway (``--refresh``, ``--force``, chosen documents)."""
    from analysis.io.fileio import files_under
    from analysis.io.paths import CORPUS_DATA_DIR, RAW_BOOKKEEPING, RAW_DIR, mirror_dir

    if args.refresh or args.force or args.doc_ids:
        return None
    h = hashlib.sha256()
    manifest = Path(args.manifest) if args.manifest else CORPUS_DATA_DIR / "manifest.csv"
    cache = Path(args.cache_dir) if args.cache_dir else RAW_DIR
    mirror = mirror_dir(args.mirror)
    try:
        h.update(manifest.read_bytes())
    except OSError:
        return None
    h.update(
        f"\0{mirror}\0{cache.resolve()}\0{os.environ.get('CORPUS_OFFLINE', '')}\0{args.offline}\0{args.strict}\0".encode()
    )
    code = Path(__file__).parent
    folders = [
        (code, False),  # the corpus package (this file is in it)
        (CORPUS_DATA_DIR, False),
        (cache, False),
        (CORPUS_DATA_DIR.parent / "incoming", False),
    ]
    if mirror is not None and mirror.is_dir():
        folders.append((mirror, True))
    for folder, recursive in folders:
        if recursive:
            paths = files_under(folder)
        else:
            paths = [folder / name for name in sorted(os.listdir(folder))] if folder.is_dir() else []
        for path in paths:
            if path.name in RAW_BOOKKEEPING or path.name.endswith((".pyc", ".part")):
                continue
            try:
                st = os.stat(path)
            except OSError:
                continue
            h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()


def _state_path(args: argparse.Namespace) -> Path:
    from analysis.io.paths import RAW_DIR, RAW_STATE_FILE

    return (Path(args.cache_dir) if args.cache_dir else RAW_DIR) / RAW_STATE_FILE


def _offline(args: argparse.Namespace) -> bool:
    from analysis.io.paths import offline_requested

    return bool(args.offline) or offline_requested()


def _read_state(args: argparse.Namespace) -> dict[str, object]:
    """The last fetch's state; ``{}`` when absent or damaged (anything but a JSON object)."""
    try:
        state = json.loads(_state_path(args).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _fetch(args: argparse.Namespace) -> int:
    warning = _mirror_warning(args.mirror)
    if warning:
        print(warning, file=sys.stderr)
    before = _fingerprint(args)
    if before is not None:
        state = _read_state(args)
        retry = state.get("unreachable") if isinstance(state.get("unreachable"), int) else 0
        if state.get("fingerprint") == before and not (retry and not _offline(args)):
            print(
                "corpus: nothing changed since the last `make data` (no text read, no network); "
                "`make data REFRESH=1` retries failed downloads"
            )
            lines = state.get("lines")
            for line in lines if isinstance(lines, list) else []:
                print(line)
            code = state.get("code")
            return max(code if isinstance(code, int) else 0, 1 if warning else 0)
        if state.get("fingerprint") == before:
            print(
                f"corpus: {retry} document(s) whose hosts could not be reached last time are tried again "
                "(an offline run, CORPUS_OFFLINE=1, does not)"
            )
    code, lines, disk = _fetch_work(args, warning)
    after = _fingerprint(args)
    if after is not None and not disk:  # a disk failure is no state to repeat: the next run tries again
        try:
            from analysis.io.fileio import atomic_write_text

            state = {"fingerprint": after, "code": code, "lines": lines, "unreachable": _unreachable_records(args)}
            atomic_write_text(_state_path(args), json.dumps(state, ensure_ascii=False) + "\n")
        except OSError:
            pass  # a cache that cannot be written was reported already
    elif disk:
        _state_path(args).unlink(missing_ok=True)
    return code


def _unreachable_records(args: argparse.Namespace) -> int:
    """How many documents have a failure record of class ``unreachable`` (tried again by the next online fetch)."""
    from analysis.corpus import load_manifest
    from analysis.corpus.cache import read_error_record
    from analysis.io.paths import RAW_DIR

    cache = Path(args.cache_dir) if args.cache_dir else RAW_DIR
    return sum(
        1
        for doc_id in load_manifest(args.manifest)["doc_id"]
        if (read_error_record(doc_id, cache) or {}).get("class") == "unreachable"
    )


def _record_warnings(args: argparse.Namespace) -> list[str]:
    """One line per damaged failure record (treated as missing)."""
    from analysis.corpus import load_manifest
    from analysis.corpus.cache import error_record_problem
    from analysis.io.paths import RAW_DIR

    cache = Path(args.cache_dir) if args.cache_dir else RAW_DIR
    found = (error_record_problem(d, cache) for d in load_manifest(args.manifest)["doc_id"])
    return [line for line in found if line]


def _fetch_work(args: argparse.Namespace, warning: str | None) -> tuple[int, list[str], bool]:
    """The fetch itself; returns the exit code, the summary lines a warm run repeats and whether the disk failed."""
    from analysis.corpus import HttpOptions, coverage, fetch
    from analysis.corpus.importing import import_incoming

    for line in _record_warnings(args):
        print(line, file=sys.stderr)
    refused: list[str] = []
    for action, message in import_incoming(manifest=args.manifest, cache_dir=args.cache_dir):
        print(f"[{action}] {message}")
        if action == "refused":
            refused.append(f"[refused] {message}")

    options = HttpOptions(
        connect_timeout=args.connect_timeout,
        read_timeout=args.timeout,
        retries=args.retries,
        backoff=args.backoff,
        deadline=args.deadline,
        archive_base=args.archive,
    )
    result = fetch(
        args.mirror,
        offline=True if args.offline else None,
        options=options,
        progress=False if args.no_progress else None,
        doc_ids=args.doc_ids or None,
        force=args.force,
        refresh=args.refresh,
        manifest=args.manifest,
        cache_dir=args.cache_dir,
    )
    quiet = {"kept", "remembered", "no url"}
    for _, row in result.iterrows():
        if row["action"] not in quiet:
            print(f"[{row['action']}] {row['message']}")
    actions = result["action"].value_counts()
    remembered = int(actions.get("remembered", 0))
    print(
        "fetch: "
        + ", ".join(f"{a} {int(n)}" for a, n in sorted(actions.items()))
        + (" (earlier failures not retried: `make data REFRESH=1`)" if remembered else "")
    )
    cov = coverage(args.mirror, manifest=args.manifest, cache_dir=args.cache_dir)
    lines = [*refused, "coverage: " + _counts_line(cov)]  # a warm run repeats why an incoming file was refused
    bad_local = cov[
        cov["status"].isin(["hash mismatch", "failed", "rejected"])
        & (cov["location"] != "")
        & ~cov["location"].str.startswith(("http://", "https://"))
    ]
    lines += [f"damaged local copy: {message}" for message in bad_local["message"]]
    extra = _unknown_mirror_ids_warning(args)
    if extra:
        lines.append(extra)  # a reader's mirror may hold more documents than ours: a warning, never a failure
    for line in lines[len(refused) :]:
        print(line)
    disk = result[result["action"] == "disk"]
    if len(bad_local) or len(disk) or warning:
        return 1, lines, bool(len(disk))
    if args.strict and cov["status"].isin(["hash mismatch", "failed", "rejected"]).any():
        return 1, lines, False
    return 0, lines, False


def _unknown_mirror_ids_warning(args: argparse.Namespace) -> str | None:
    from analysis.corpus import load_manifest
    from analysis.corpus.mirror import unknown_ids_warning, usable
    from analysis.io.paths import mirror_dir

    mirror = usable(mirror_dir(args.mirror))
    if mirror is None:
        return None
    return unknown_ids_warning(mirror, load_manifest(args.manifest)["doc_id"])


def _import(args: argparse.Namespace) -> int:
    from analysis.corpus.importing import import_file

    result = import_file(args.file, args.doc, manifest=args.manifest, cache_dir=args.cache_dir)
    print(result.message)
    return 0


def _opening(args: argparse.Namespace) -> int:
    from analysis.corpus.importing import opening_of_file

    print(opening_of_file(args.file, args.doc, manifest=args.manifest))
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
    print(
        "verify: " + ", ".join(f"{r} {int(counts.get(r, 0))}" for r in ("ok", "mismatch", "unverified", "unreadable"))
    )
    return 1 if counts.get("mismatch", 0) or counts.get("unreadable", 0) else 0


def add_commands(groups: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``corpus`` group and its commands on the top-level parser's subparsers."""
    corpus = groups.add_parser("corpus", help="acquire, list and verify the primary texts")
    commands = corpus.add_subparsers(dest="command", required=True)

    def with_mirror(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--mirror", default=None, metavar="PATH", help="corpus mirror folder (default: $CORPUS_MIRROR)")
        p.add_argument("--cache-dir", default=None, metavar="PATH", help="cache folder (default: data/raw)")
        p.add_argument(
            "--manifest", default=None, metavar="PATH", help="manifest CSV (default: data/corpus/manifest.csv)"
        )
        return p

    p = with_mirror(commands.add_parser("fetch", help="acquire every document the cache and mirror lack"))
    p.add_argument("--offline", action="store_true", help="never use the network (also CORPUS_OFFLINE=1)")
    p.add_argument("--timeout", type=float, default=DEFAULT_READ_TIMEOUT, metavar="S", help="read timeout in seconds")
    p.add_argument(
        "--connect-timeout", type=float, default=DEFAULT_CONNECT_TIMEOUT, metavar="S", help="connect timeout in seconds"
    )
    p.add_argument("--retries", type=int, default=DEFAULT_RETRIES, metavar="N", help="retries per URL")
    p.add_argument("--backoff", type=float, default=0.5, metavar="F", help="retry back-off factor")
    p.add_argument("--strict", action="store_true", help="exit 1 when any download failed or had the wrong hash")
    p.add_argument(
        "--deadline",
        type=float,
        default=DEFAULT_DEADLINE,
        metavar="S",
        help="overall time limit of one tier of a document's routes (official, archive, reprints), in seconds",
    )
    p.add_argument(
        "--refresh", action="store_true", help="try again documents whose last download failed (make data REFRESH=1)"
    )
    p.add_argument("--force", action="store_true", help="download again documents that are already available")
    p.add_argument(
        "--archive",
        default=None,
        metavar="URL",
        help="Internet Archive base URL for snapshots of failed official URLs "
        "(default: $CORPUS_ARCHIVE or https://web.archive.org/web/; empty: none)",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("doc_ids", nargs="*", metavar="DOC_ID", help="only these documents (default: all)")
    p.set_defaults(func=_fetch)

    p = with_mirror(commands.add_parser("status", help="list every manifest document with its status"))
    p.set_defaults(func=_status)

    p = with_mirror(
        commands.add_parser(
            "import", help="check a text saved by hand (TXT/HTML/PDF/DOCX) and cache it (origin imported)"
        )
    )
    p.add_argument("file", metavar="FILE", help="the saved text, HTML page, PDF or Word .docx file")
    p.add_argument(
        "--doc", default=None, metavar="DOC_ID", help="the document it is (default: from the file name or its text)"
    )
    p.set_defaults(func=_import)

    p = commands.add_parser(
        "fingerprint", help="print the opening fingerprint (opening_sha256) of a saved copy, never its text"
    )
    p.add_argument("file", metavar="FILE", help="a saved copy or opening of the document (TXT/HTML/PDF/DOCX)")
    p.add_argument("--doc", required=True, metavar="DOC_ID", help="the document it is (its title anchors the opening)")
    p.add_argument("--manifest", default=None, metavar="PATH", help="manifest CSV (default: data/corpus/manifest.csv)")
    p.set_defaults(func=_opening)

    p = with_mirror(commands.add_parser("verify", help="re-hash cached and mirrored texts against expected_sha256"))
    p.set_defaults(func=_verify)
