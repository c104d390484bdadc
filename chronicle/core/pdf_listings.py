"""Long tables (listings) drawn straight onto PDF pages, beside the pages WeasyPrint lays out.

WeasyPrint lays out every table cell and every line of text through Python (about half a
millisecond a line), so a listing of 10,000 rows took minutes and gigabytes. Listings need none
of its generality: fixed columns, one font in two weights, text wrapped at spaces, a shaded row per
entry. This module lays them out itself (tens of microseconds a row) and adds the pages to the PDF
WeasyPrint writes, at the place the listing belongs, tagged as tables (PDF/UA: caption, header
cells with their scope, one row per row) so the whole document stays one tagged PDF.

The page furniture matches the rest of the document: the protective marking and title in the
header, "Page N of M" in the footer (drawn here for every page, as page numbers change once the
listing's pages are added).
"""

from __future__ import annotations

import io
import logging
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

MM = 72 / 25.4  # points in a millimetre
A4 = (595.276, 841.89)
MARGIN_X, MARGIN_Y = 15 * MM, 18 * MM  # as the CSS @page rule
INSET = 6.0  # the HTML body's own margin (8 CSS pixels): listings line up with the text
SIZE = 7.0  # type size of a listing, points
LEADING = 8.4
PAD_X, PAD_Y = 2.0, 1.2
CAPTION_SIZE = 8.0
FURNITURE_SIZE = 8.0
TEXT = "0.043 0.047 0.047"  # #0b0c0c
GREY = "0.314 0.353 0.373"  # #505a5f
RULE = "0.694 0.706 0.714"  # #b1b4b6
HEAD_FILL = "0.953 0.949 0.945"  # #f3f2f1
FONT_FILES = {
    "regular": ("Liberation Sans", "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"),
    "bold": ("Liberation Sans:bold", "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf"),
}


@dataclass(frozen=True)
class Listing:
    """One long table: what ``documents.Table`` holds, minus what only Word needs."""

    headings: Sequence[str]
    rows: Sequence[Sequence[str]]
    caption: str = ""
    widths: Sequence[float] = ()
    row_fills: Sequence[str | None] = ()


# --- Fonts ---------------------------------------------------------------------------------------


def _font_path(weight: str) -> str:
    pattern, fallback = FONT_FILES[weight]
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        found = ""
    return found if found.lower().endswith((".ttf", ".otf")) else fallback


class _Font:
    """A TrueType font's glyph numbers and widths, and the glyphs a PDF has used from it."""

    def __init__(self, weight: str, key: str) -> None:
        from fontTools.ttLib import TTFont

        self.key = key
        self.path = _font_path(weight)
        font = TTFont(self.path)
        scale = 1000 / font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        order = {name: number for number, name in enumerate(font.getGlyphOrder())}
        self.glyph: dict[str, int] = {}
        self.advance: dict[str, float] = {}  # thousandths of the type size
        for codepoint, name in font.getBestCmap().items():
            self.glyph[chr(codepoint)] = order[name]
            self.advance[chr(codepoint)] = metrics[name][0] * scale
        self.missing_advance = metrics[font.getGlyphOrder()[0]][0] * scale
        self.glyph_widths = {order[name]: advance * scale for name, (advance, _) in metrics.items()}
        head, hhea, os2 = font["head"], font["hhea"], font["OS/2"]
        self.bbox = [round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)]
        self.ascent, self.descent = round(hhea.ascent * scale), round(hhea.descent * scale)
        self.cap_height = round(getattr(os2, "sCapHeight", hhea.ascent) * scale)
        self.name = font["name"].getDebugName(6) or "LiberationSans"
        font.close()
        self.codes = {ord(ch): f"{number:04x}" for ch, number in self.glyph.items()}
        self.chars: set[str] = set()
        self._widths: dict[str, float] = {}

    def width(self, text: str) -> float:
        """Width in thousandths of the type size; words repeat, so each is measured once."""
        found = self._widths.get(text)
        if found is None:
            advance, missing = self.advance, self.missing_advance
            found = sum(advance.get(ch, missing) for ch in text)
            if len(self._widths) < 200_000:
                self._widths[text] = found
        return found

    def hex(self, text: str) -> str:
        """``text`` as glyph numbers in hex, as a Type 0 font with Identity-H encoding shows it."""
        self.chars.update(text)
        coded = text.translate(self.codes)  # in C: this runs for every line of every cell
        if len(coded) != 4 * len(text):  # a character the font lacks: its missing glyph
            coded = "".join(self.codes.get(ord(ch), "0000") for ch in text)
        return coded

    @property
    def used(self) -> dict[int, str]:
        """The glyphs used, each with the character it shows."""
        return {self.glyph.get(ch, 0): ch for ch in sorted(self.chars)}

    def embed(self, pdf: Any) -> bytes:
        """Add the font, cut down to the glyphs used, to ``pdf``; its reference."""
        import pydyf
        from fontTools import subset
        from fontTools.ttLib import TTFont

        logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # tables it drops, by design
        options = subset.Options()
        options.retain_gids = True  # glyph numbers in the page streams stay valid
        options.notdef_outline = True
        options.layout_features = []
        options.hinting = False
        options.name_IDs = ["*"]
        used = self.used
        font = TTFont(self.path)
        subsetter = subset.Subsetter(options)
        subsetter.populate(gids=sorted({0, *used}))
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
        data = out.getvalue()
        file_stream = pydyf.Stream([data], pydyf.Dictionary({"Length1": len(data)}), compress=True)
        pdf.add_object(file_stream)
        tag = "CHRLST" if self.key == "CLR" else "CHRLSB"
        base = f"/{tag}+{self.name.replace(' ', '')}"
        descriptor = pydyf.Dictionary(
            {
                "Type": "/FontDescriptor",
                "FontName": base,
                "Flags": 32,
                "FontBBox": pydyf.Array(self.bbox),
                "ItalicAngle": 0,
                "Ascent": self.ascent,
                "Descent": self.descent,
                "CapHeight": self.cap_height,
                "StemV": 80,
                "FontFile2": file_stream.reference,
            }
        )
        pdf.add_object(descriptor)
        widths = pydyf.Array()
        run: Any = None
        previous = -2
        for number in sorted({0, *used}):
            if number != previous + 1:
                run = pydyf.Array()
                widths.extend([number, run])
            run.append(round(self.glyph_widths.get(number, 0)))
            previous = number
        cid_font = pydyf.Dictionary(
            {
                "Type": "/Font",
                "Subtype": "/CIDFontType2",
                "BaseFont": base,
                "CIDSystemInfo": pydyf.Dictionary(
                    {"Registry": pydyf.String("Adobe"), "Ordering": pydyf.String("Identity"), "Supplement": 0}
                ),
                "CIDToGIDMap": "/Identity",
                "W": widths,
                "FontDescriptor": descriptor.reference,
            }
        )
        pdf.add_object(cid_font)
        lines = [
            b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
            b"1 begincodespacerange <0000> <ffff> endcodespacerange",
        ]
        items = sorted(used.items())
        for start in range(0, len(items), 100):
            batch = items[start : start + 100]
            lines.append(f"{len(batch)} beginbfchar".encode())
            lines += [f"<{n:04x}> <{ch.encode('utf-16-be').hex()}>".encode() for n, ch in batch]
            lines.append(b"endbfchar")
        lines.append(b"endcmap CMapName currentdict /CMap defineresource pop end end")
        to_unicode = pydyf.Stream(lines, compress=True)
        pdf.add_object(to_unicode)
        font_dict = pydyf.Dictionary(
            {
                "Type": "/Font",
                "Subtype": "/Type0",
                "BaseFont": base,
                "Encoding": "/Identity-H",
                "DescendantFonts": pydyf.Array([cid_font.reference]),
                "ToUnicode": to_unicode.reference,
            }
        )
        pdf.add_object(font_dict)
        return bytes(font_dict.reference)


@lru_cache(maxsize=1)
def _font_tables() -> tuple[_Font, _Font]:
    """Reading the font files takes a moment; glyphs used are tracked per document (see ``_Fonts``)."""
    return _Font("regular", "CLR"), _Font("bold", "CLB")


class _Fonts:
    def __init__(self) -> None:
        import copy

        regular, bold = _font_tables()
        self.regular, self.bold = copy.copy(regular), copy.copy(bold)
        for font in (self.regular, self.bold):
            font.chars = set()


# --- Layout --------------------------------------------------------------------------------------


def _colour(fill: str) -> str:
    value = fill.lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    red, green, blue = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return f"{red:.3f} {green:.3f} {blue:.3f}"


def wrap(text: str, width: float, font: _Font, size: float = SIZE) -> list[str]:
    """``text`` broken into lines no wider than ``width`` points, at spaces where it can be."""
    limit = width * 1000 / size
    space = font.width(" ")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if font.width(paragraph) <= limit:
            lines.append(paragraph)
            continue
        current: list[str] = []
        used = 0.0
        for word in paragraph.split(" "):
            wide = font.width(word)
            if current and used + space + wide <= limit:
                current.append(word)
                used += space + wide
                continue
            if current:
                lines.append(" ".join(current))
            current, used = [], 0.0
            while wide > limit:  # a word longer than the column: cut it
                cut = 1
                while cut < len(word) and font.width(word[: cut + 1]) <= limit:
                    cut += 1
                lines.append(word[:cut])
                word = word[cut:]
                wide = font.width(word)
            current, used = [word], wide
        lines.append(" ".join(current))
    return lines


def _spaced(line: str, index: int, lines: list[str]) -> str:
    """A wrapped line keeps the space it broke at (invisible past the line's end), so text copied or
    read aloud from the PDF does not run the last word of one line into the first of the next."""
    return line + " " if index < len(lines) - 1 and line else line


@dataclass
class _Page:
    landscape: bool
    flow: bool = False  # the page WeasyPrint made, where the listing starts below the text before it
    ops: list[str] = field(default_factory=list)
    # Marked content on this page, in order: (structure element key, MCID).
    marks: list[tuple[tuple[int, int, int], int]] = field(default_factory=list)

    def mark(self, owner: tuple[int, int, int], tag: str) -> None:
        self.ops.append(f"/{tag} <</MCID {len(self.marks)}>> BDC")
        self.marks.append((owner, len(self.marks)))


class _Writer:
    """Lays listings out page by page. Structure owners are (listing, row, column): row -1 is the
    heading row and (listing, -2, 0) the caption."""

    def __init__(self, fonts: _Fonts, landscape: bool, start_y: float | None = None) -> None:
        self.fonts = fonts
        self.landscape = landscape
        self.width, self.height = (A4[1], A4[0]) if landscape else A4
        self.pages: list[_Page] = []
        self.page: _Page
        self.y = 0.0
        if start_y is not None:
            self.page = _Page(landscape, flow=True)
            self.pages.append(self.page)
            self.y = start_y

    def new_page(self) -> None:
        self.page = _Page(self.landscape)
        self.pages.append(self.page)
        self.y = self.height - MARGIN_Y

    def text(self, x: float, y: float, line: str, font: _Font, size: float, colour: str = TEXT) -> None:
        if line:
            self.page.ops.append(
                f"BT /{font.key} {size:g} Tf {colour} rg 1 0 0 1 {x:.2f} {y:.2f} Tm <{font.hex(line)}> Tj ET"
            )

    def lay_out(self, number: int, listing: Listing) -> None:
        regular, bold = self.fonts.regular, self.fonts.bold
        left_edge = MARGIN_X + INSET
        usable = self.width - 2 * left_edge
        weights = list(listing.widths) or [1.0] * len(listing.headings)
        columns = [usable * w / sum(weights) for w in weights]
        lefts = [left_edge + sum(columns[:i]) for i in range(len(columns))]
        heading_lines = [wrap(h, c - 2 * PAD_X, bold) for h, c in zip(listing.headings, columns, strict=True)]
        heading_height = max(len(lines) for lines in heading_lines) * LEADING + 2 * PAD_Y
        caption_height = CAPTION_SIZE * 1.4 if listing.caption else 0.0
        bottom = MARGIN_Y
        first_heading = True

        def top_of_table(continued: bool) -> None:
            nonlocal first_heading
            if listing.caption:
                caption = listing.caption + (" (continued)" if continued else "")
                if continued:
                    self.page.ops.append("/Artifact BMC")
                else:
                    self.page.mark((number, -2, 0), "Caption")
                self.text(left_edge, self.y - CAPTION_SIZE, caption, bold, CAPTION_SIZE)
                self.page.ops.append("EMC")
                self.y -= caption_height
            top = self.y
            self.page.ops.append(
                f"/Artifact BMC {HEAD_FILL} rg {left_edge:.2f} {top - heading_height:.2f} {usable:.2f} {heading_height:.2f} re f EMC"
            )
            for column, lines in enumerate(heading_lines):
                if first_heading:  # the heading row is a repeated artifact on later pages
                    self.page.mark((number, -1, column), "TH")
                else:
                    self.page.ops.append("/Artifact BMC")
                for index, line in enumerate(lines):
                    y = top - PAD_Y - SIZE - index * LEADING + 1.2
                    self.text(lefts[column] + PAD_X, y, _spaced(line, index, lines), bold, SIZE)
                self.page.ops.append("EMC")
            first_heading = False
            self.y = top - heading_height

        def rules(top: float) -> None:
            """The table's frame and column lines from ``top`` down to where the rows end."""
            ops = [f"/Artifact BMC 0.3 w {RULE} RG"]
            ops.append(f"{left_edge:.2f} {self.y:.2f} {usable:.2f} {top - self.y:.2f} re S")
            for left in lefts[1:]:
                ops.append(f"{left:.2f} {top:.2f} m {left:.2f} {self.y:.2f} l S")
            ops.append("EMC")
            self.page.ops.extend(ops)

        if not self.pages or self.y - caption_height - heading_height - 3 * LEADING < bottom:
            self.new_page()
        elif self.y < self.height - MARGIN_Y:
            self.y -= 8.0  # space after the text or listing above
        table_top_y = self.y - caption_height
        top_of_table(continued=False)
        fills = list(listing.row_fills)
        for row_number, row in enumerate(listing.rows):
            cells = [wrap(text, c - 2 * PAD_X, regular) for text, c in zip(row, columns, strict=True)]
            remaining: list[list[str]] | None = cells
            fill = fills[row_number] if row_number < len(fills) else None
            while remaining is not None:
                lines_here = max(1, max(len(lines) for lines in remaining))
                room = int((self.y - bottom - 2 * PAD_Y) // LEADING)
                if lines_here > room:
                    full_page = int(
                        (self.height - 2 * MARGIN_Y - caption_height - heading_height - 2 * PAD_Y) // LEADING
                    )
                    if lines_here <= full_page or room < 3:  # move the row to a new page whole
                        rules(table_top_y)
                        self.new_page()
                        table_top_y = self.y - caption_height
                        top_of_table(continued=True)
                        continue
                    now = [lines[:room] for lines in remaining]  # a very long row: split it
                    later: list[list[str]] | None = [lines[room:] for lines in remaining]
                    lines_here = room
                else:
                    now, later = remaining, None
                height = lines_here * LEADING + 2 * PAD_Y
                top = self.y
                if fill:
                    self.page.ops.append(
                        f"/Artifact BMC {_colour(fill)} rg {left_edge:.2f} {top - height:.2f} {usable:.2f} {height:.2f} re f EMC"
                    )
                for column, lines in enumerate(now):
                    self.page.mark((number, row_number, column), "TD")
                    x = lefts[column] + PAD_X
                    for index, line in enumerate(lines):
                        y = top - PAD_Y - SIZE - index * LEADING + 1.2
                        self.text(x, y, _spaced(line, index, lines), regular, SIZE)
                    self.page.ops.append("EMC")
                self.y = top - height
                self.page.ops.append(
                    f"/Artifact BMC 0.3 w {RULE} RG {left_edge:.2f} {self.y:.2f} m {left_edge + usable:.2f} {self.y:.2f} l S EMC"
                )
                remaining = later
        rules(table_top_y)


# --- Adding the pages to WeasyPrint's PDF --------------------------------------------------------


def _object(pdf: Any, reference: bytes | str) -> Any:
    text = reference.decode() if isinstance(reference, bytes) else str(reference)
    return pdf.objects[int(text.split()[0])]


class ListingPages:
    """The listings of one document: laid out once WeasyPrint has laid out the rest, added to the
    PDF as it finishes (``finish`` is WeasyPrint's ``write_pdf(finisher=...)`` hook).

    Each group of listings starts on the WeasyPrint page holding its slot, below the text there,
    and goes on over pages of its own inserted after that page."""

    def __init__(self, marking: str, title: str) -> None:
        self.fonts = _Fonts()
        self.marking, self.title = marking, title
        # (the WeasyPrint page it starts on, its listings, its pages)
        self.groups: list[tuple[int, list[Listing], list[_Page]]] = []

    def add(self, listings: list[Listing], landscape: bool, flow_page: int, start_y: float | None) -> None:
        """Lay out ``listings`` from ``start_y`` points up from the foot of WeasyPrint page ``flow_page``
        (or from the top of a new page when ``start_y`` is None)."""
        writer = _Writer(self.fonts, landscape, start_y)
        for number, listing in enumerate(listings):
            writer.lay_out(number, listing)
        self.groups.append((flow_page, listings, writer.pages))

    def page_count(self) -> int:
        """Pages added to WeasyPrint's."""
        return sum(1 for _, _, pages in self.groups for page in pages if not page.flow)

    def _furniture(self, width: float, height: float, number: int, total: int, header: bool) -> list[str]:
        """The page's header (for listing pages) and footer, as pagination artifacts."""
        regular, bold = self.fonts.regular, self.fonts.bold
        ops = ["/Artifact <</Type /Pagination /Subtype /Footer>> BDC"]
        footer = f"Page {number} of {total}"
        x = width - MARGIN_X - regular.width(footer) * FURNITURE_SIZE / 1000
        y = MARGIN_Y / 2 - FURNITURE_SIZE / 3
        ops.append(
            f"BT /{regular.key} {FURNITURE_SIZE:g} Tf {GREY} rg 1 0 0 1 {x:.2f} {y:.2f} Tm <{regular.hex(footer)}> Tj ET EMC"
        )
        if header:
            y = height - MARGIN_Y / 2 - FURNITURE_SIZE / 3
            x = width - MARGIN_X - regular.width(self.title) * FURNITURE_SIZE / 1000
            ops += [
                "/Artifact <</Type /Pagination /Subtype /Header>> BDC",
                f"BT /{bold.key} {FURNITURE_SIZE:g} Tf {GREY} rg 1 0 0 1 {MARGIN_X:.2f} {y:.2f} Tm <{bold.hex(self.marking)}> Tj ET",
                f"BT /{regular.key} {FURNITURE_SIZE:g} Tf {GREY} rg 1 0 0 1 {x:.2f} {y:.2f} Tm <{regular.hex(self.title)}> Tj ET",
                "EMC",
            ]
        return ops

    def finish(self, document: Any, pdf: Any) -> None:
        """Insert the listing pages after their slots' pages, number every page, tag the tables."""
        import pydyf

        kids = pdf.pages["Kids"]
        flow_pages = [_object(pdf, f"{kids[i]} 0 R") for i in range(0, len(kids), 3)]
        total = len(flow_pages) + self.page_count()

        # The final order of pages: ("flow", page, 0) or ("listing", group, page).
        order: list[tuple[str, int, int]] = []
        for index in range(len(flow_pages)):
            order.append(("flow", index, 0))
            for group, (flow_page, _, pages) in enumerate(self.groups):
                if flow_page == index:
                    order += [("listing", group, k) for k, page in enumerate(pages) if not page.flow]
        furniture: dict[tuple[str, int, int], list[str]] = {}
        for number, place in enumerate(order, start=1):
            if place[0] == "flow":
                box = [float(v) for v in flow_pages[place[1]]["MediaBox"]]
                furniture[place] = self._furniture(
                    box[2] - box[0], box[3] - box[1], number, total, header=False
                )
            else:
                landscape = self.groups[place[1]][2][place[2]].landscape
                width, height = (A4[1], A4[0]) if landscape else A4
                furniture[place] = self._furniture(width, height, number, total, header=True)

        # The structure tree, and where marked content on WeasyPrint's pages may be numbered from.
        tree = None
        page_marks: dict[int, Any] = {}  # WeasyPrint page: its array of marked content owners
        if "StructTreeRoot" in pdf.catalog:
            root = _object(pdf, pdf.catalog["StructTreeRoot"])
            tree = (_object(pdf, root["K"][0]), _object(pdf, root["ParentTree"])["Nums"])
            for key, owners in zip(tree[1][0::2], tree[1][1::2], strict=True):
                if isinstance(key, int) and key < len(flow_pages) and isinstance(owners, list):
                    page_marks[key] = owners
        first_mcid = {index: len(owners) for index, owners in page_marks.items()}

        # What is drawn on WeasyPrint's pages: its stream wrapped in q/Q, then the page number and
        # the start of any listing that begins there.
        opening = pydyf.Stream([b"q"], compress=True)
        pdf.add_object(opening)
        flow_ops: dict[int, list[str]] = {
            i: ["Q", *furniture[("flow", i, 0)]] for i in range(len(flow_pages))
        }
        for flow_page, _, pages in self.groups:
            if pages and pages[0].flow and flow_page < len(flow_pages):
                offset = first_mcid.get(flow_page, 0)
                ops = pages[0].ops
                if offset:
                    ops = [_renumber(op, offset) for op in ops]
                flow_ops[flow_page] += ops
                first_mcid[flow_page] = offset + len(pages[0].marks)

        # Fonts, now that every glyph is known.
        fonts = pydyf.Dictionary(
            {font.key: font.embed(pdf) for font in (self.fonts.regular, self.fonts.bold) if font.chars}
        )
        if flow_pages:
            flow_resources = _object(pdf, flow_pages[0]["Resources"])
            flow_fonts = flow_resources.get("Font")
            if flow_fonts is None:
                flow_resources["Font"] = pydyf.Dictionary(dict(fonts))
            elif isinstance(flow_fonts, dict):
                flow_fonts.update(fonts)
            else:
                _object(pdf, flow_fonts).update(fonts)
        listing_resources = pydyf.Dictionary({"Font": fonts})
        pdf.add_object(listing_resources)
        for index, page in enumerate(flow_pages):
            extra = pydyf.Stream(flow_ops[index], compress=True)
            pdf.add_object(extra)
            page["Contents"] = pydyf.Array([opening.reference, page["Contents"], extra.reference])

        next_key = (max(k for k in tree[1][0::2]) + 1) if tree and tree[1] else len(flow_pages)
        page_objects: dict[tuple[int, int], Any] = {}
        keys: dict[tuple[int, int], int] = {}
        for group, (flow_page, _, pages) in enumerate(self.groups):
            for k, laid in enumerate(pages):
                if laid.flow:
                    page_objects[(group, k)] = flow_pages[flow_page]
                    continue
                width, height = (A4[1], A4[0]) if laid.landscape else A4
                stream = pydyf.Stream([*laid.ops, *furniture[("listing", group, k)]], compress=True)
                pdf.add_object(stream)
                page = pydyf.Dictionary(
                    {
                        "Type": "/Page",
                        "Parent": pdf.pages.reference,
                        "MediaBox": pydyf.Array([0, 0, width, height]),
                        "Contents": stream.reference,
                        "Resources": listing_resources.reference,
                    }
                )
                if tree is not None:
                    keys[(group, k)] = next_key
                    page["Tabs"] = "/S"
                    page["StructParents"] = next_key
                    next_key += 1
                pdf.add_object(page)
                page_objects[(group, k)] = page
                laid.ops = []  # drawn: let the memory go

        new_kids = pydyf.Array()
        for kind, first, second in order:
            page = flow_pages[first] if kind == "flow" else page_objects[(first, second)]
            new_kids.extend([page.number, 0, "R"])
        pdf.pages["Kids"] = new_kids
        pdf.pages["Count"] = len(order)

        if tree is None:
            return
        document_element, nums = tree
        flow_page_of = {bytes(p.reference): i for i, p in enumerate(flow_pages)}
        mcid_start = {index: len(owners) for index, owners in page_marks.items()}
        for group, (flow_page, listings, pages) in enumerate(self.groups):
            tables: list[bytes] = []
            cells = self._elements(pdf, document_element, listings, tables)
            for k, laid in enumerate(pages):
                page = page_objects[(group, k)]
                if laid.flow:
                    if flow_page not in page_marks:
                        page_marks[flow_page] = pydyf.Array()
                        nums.extend([flow_page, page_marks[flow_page]])
                    owners = page_marks[flow_page]
                    offset = mcid_start.get(flow_page, 0)
                    mcid_start[flow_page] = offset + len(laid.marks)
                else:
                    owners = pydyf.Array()
                    nums.extend([keys[(group, k)], owners])
                    offset = 0
                for owner, mcid in laid.marks:
                    cell = cells[owner]
                    if cell.setdefault("Pg", page.reference) == page.reference:
                        cell["K"].append(mcid + offset)  # on the cell's own page: the number alone
                    else:  # a row split over two pages
                        cell["K"].append(
                            pydyf.Dictionary({"Type": "/MCR", "Pg": page.reference, "MCID": mcid + offset})
                        )
                    owners.append(cell.reference)
            children = document_element["K"]
            position = len(children)
            for at, child in enumerate(children):
                page_ref = _object(pdf, child).get("Pg")
                if page_ref is not None and flow_page_of.get(bytes(page_ref), -1) > flow_page:
                    position = at
                    break
            children[position:position] = tables
        pairs = sorted(zip(nums[0::2], nums[1::2], strict=True), key=lambda pair: pair[0])
        nums[:] = [item for pair in pairs for item in pair]  # a number tree is kept in key order

    def _elements(
        self, pdf: Any, parent: Any, listings: list[Listing], tables: list[bytes]
    ) -> dict[tuple[int, int, int], Any]:
        """Structure elements for one group's tables (added to ``tables``), by owner of marked content."""
        import pydyf

        cells: dict[tuple[int, int, int], Any] = {}

        def element(tag: str, parent_element: Any, extra: dict[str, Any] | None = None) -> Any:
            made = pydyf.Dictionary(
                {"Type": "/StructElem", "S": f"/{tag}", "P": parent_element.reference, "K": pydyf.Array()}
            )
            made.update(extra or {})
            pdf.add_object(made)
            if tag != "Table":  # tables are placed by the caller, after the slot page's elements
                parent_element["K"].append(made.reference)
            return made

        scope = pydyf.Dictionary({"O": "/Table", "Scope": "/Column"})
        for number, listing in enumerate(listings):
            table = element("Table", parent)
            tables.append(bytes(table.reference))
            if listing.caption:
                cells[(number, -2, 0)] = element("Caption", table)
            heading_row = element("TR", table)
            for column in range(len(listing.headings)):
                cells[(number, -1, column)] = element("TH", heading_row, {"A": scope})
            for row_number, row in enumerate(listing.rows):
                tr = element("TR", table)
                for column in range(len(row)):
                    cells[(number, row_number, column)] = element("TD", tr)
        return cells


_MCID = re.compile(r"/MCID (\d+)")


def _renumber(op: str, offset: int) -> str:
    """Marked content numbers shifted past those WeasyPrint gave the same page."""
    return _MCID.sub(lambda found: f"/MCID {int(found.group(1)) + offset}", op) if "/MCID" in op else op
