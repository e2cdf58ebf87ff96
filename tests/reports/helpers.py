"""Independent readers of the report's files: the PDF through poppler's pdftoppm and pdftotext,
the workbook through its XML (the zip Excel writes), so that the tests do not read the files
back with the library that wrote them."""

import io
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def pdf_pages_ink(pdf: bytes) -> list[int]:
    """For each page, how many pixels are not white, rendered in grey at 30 dpi."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "report.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-gray", "-r", "30", str(source), str(Path(folder) / "page")],
            check=True,
        )
        return [_ink(page.read_bytes()) for page in sorted(Path(folder).glob("page*.pgm"))]


def _ink(pgm: bytes) -> int:
    """Pixels darker than near-white in a binary PGM (P5) image."""
    match = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", pgm)
    assert match, pgm[:20]
    width, height = int(match.group(1)), int(match.group(2))
    pixels = pgm[match.end() : match.end() + width * height]
    assert len(pixels) == width * height
    return sum(1 for p in pixels if p < 240)


def pdf_text(pdf: bytes) -> str:
    """The PDF's text by pdftotext, its spaces (no-break and narrow too) made plain."""
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True)
    assert out.returncode == 0, out.stderr
    return re.sub("[\u00a0\u202f]", " ", out.stdout.decode("utf-8"))


class Workbook:
    """An .xlsx read from its XML: sheets by name, cells as (value, is_number, number format)."""

    def __init__(self, content: bytes):
        self.zip = zipfile.ZipFile(io.BytesIO(content))
        self.strings = self._strings()
        self.formats = self._formats()
        self.sheets = self._sheets()

    def _xml(self, name: str) -> ElementTree.Element:
        return ElementTree.fromstring(self.zip.read(name))

    def _strings(self) -> list[str]:
        if "xl/sharedStrings.xml" not in self.zip.namelist():
            return []
        root = self._xml("xl/sharedStrings.xml")
        return ["".join(t.text or "" for t in si.iter(f"{MAIN}t")) for si in root]

    def _formats(self) -> list[str]:
        """The number format code of each cell style (xf), by index."""
        root = self._xml("xl/styles.xml")
        codes = {
            int(n.get("numFmtId")): n.get("formatCode")
            for n in root.iter(f"{MAIN}numFmt")  # custom formats
        }
        xfs = root.find(f"{MAIN}cellXfs")
        assert xfs is not None
        return [codes.get(int(xf.get("numFmtId", "0")), "General") for xf in xfs]

    def _sheets(self) -> dict[str, str]:
        book = self._xml("xl/workbook.xml")
        rels = self._xml("xl/_rels/workbook.xml.rels")
        targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{PACKAGE_REL}Relationship")}
        return {
            s.get("name"): "xl/" + targets[s.get(f"{REL}id")].lstrip("/").removeprefix("xl/")
            for s in book.iter(f"{MAIN}sheet")
        }

    def cells(self, sheet: str) -> dict[str, tuple[object, bool, str]]:
        """'B4' → (value, whether it is a number, its number format)."""
        out = {}
        for c in self._xml(self.sheets[sheet]).iter(f"{MAIN}c"):
            v = c.find(f"{MAIN}v")
            if v is None:
                continue
            kind = c.get("t", "n")
            fmt = self.formats[int(c.get("s", "0"))]
            if kind == "s":
                out[c.get("r")] = (self.strings[int(v.text or 0)], False, fmt)
            elif kind == "n":
                out[c.get("r")] = (float(v.text or 0), True, fmt)
            else:
                out[c.get("r")] = (v.text, False, fmt)
        return out

    def rows(self, sheet: str) -> list[list[object]]:
        """Values by row from the fourth row (after the title and the headings), as lists."""
        cells = self.cells(sheet)
        grid: dict[int, dict[int, object]] = {}
        for ref, (value, _n, _f) in cells.items():
            match = re.fullmatch(r"([A-Z]+)(\d+)", ref)
            assert match
            col = sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(match.group(1))))
            grid.setdefault(int(match.group(2)), {})[col] = value
        return [
            [grid[r].get(c) for c in range(1, max(grid[r]) + 1)] for r in sorted(grid) if r >= 4
        ]
