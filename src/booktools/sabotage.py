"""Break a *copy* of a built book on purpose, to show that the browser test catches it.

``python -m booktools break-copy image _build/html /tmp/broken`` copies the site and corrupts the
first figure PNG (its signature is kept, its header and data are zeroed, so the server still sends it);
``break-copy font`` deletes the bundled CJK font that ``cjk.css`` loads. Then
``BOOK_BROWSER_TEST=1 BOOK_HTML=/tmp/broken .venv/bin/pytest -m browser tests/browser`` must fail.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Literal

from booktools.site import declared_font_file

Breakage = Literal["image", "font"]


def break_copy(site: Path, dest: Path, what: Breakage) -> Path:
    """Copy ``site`` to the new folder ``dest`` and break one thing in the copy; returns the broken file."""
    site, dest = Path(site), Path(dest)
    if not (site / "index.html").is_file():
        raise FileNotFoundError(f"{site} is not a built book (no index.html)")
    if dest.exists():
        raise FileExistsError(f"{dest} exists: break-copy writes into a new folder")
    shutil.copytree(site, dest)
    if what == "image":
        pngs = sorted((dest / "_images").glob("*.png"))
        if not pngs:
            raise FileNotFoundError(f"{site}/_images has no PNG figure to break")
        data = bytearray(pngs[0].read_bytes())
        data[8:] = bytes(len(data) - 8)  # keep the PNG signature, zero everything after it
        pngs[0].write_bytes(bytes(data))
        return pngs[0]
    if what == "font":
        font = dest / "_static" / declared_font_file()
        font.unlink()
        return font
    raise ValueError(f"unknown breakage {what!r}: use 'image' or 'font'")
