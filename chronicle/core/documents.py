"""A small document model rendered to Word (python-docx) and tagged PDF (WeasyPrint).

Reports (notification summaries, composite chronologies, the Panel pack) are
built once as a ``Document`` and written to either format, so both say the same.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

FONT = "Liberation Sans"  # metric-compatible with Arial; Debian's fonts-liberation2


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = ""  # "", "hint", "warning"


@dataclass(frozen=True)
class KeyValues:
    rows: Sequence[tuple[str, str]]


@dataclass(frozen=True)
class Table:
    headings: Sequence[str]
    rows: Sequence[Sequence[str]]
    caption: str = ""
    widths: Sequence[float] = ()  # relative column widths
    row_fills: Sequence[str | None] = ()  # a background colour per row (hex), optional
    # Small type and tight cells for long listings (appendices of thousands of rows): about four
    # times as many rows to a page, and made far faster in both formats.
    compact: bool = False


@dataclass(frozen=True)
class Picture:
    svg: str
    description: str
    png: bytes | None = None  # for Word, which cannot take SVG; made from the SVG when missing


@dataclass(frozen=True)
class PageBreak:
    """Start a new page; with ``landscape`` the pages that follow are landscape (for wide tables)."""

    landscape: bool = False


Block = Heading | Paragraph | KeyValues | Table | Picture | PageBreak

WORKED_OUT = "How this was worked out"  # as on the pages: rule ids, sources and methods go under it


def worked_out_blocks(rows: Sequence[tuple[str, str]], level: int) -> list[Block]:
    """The rule ids, sources and methods behind what a document says in plain words, under their own
    heading (one level below the section they explain), as the pages put them behind a details element."""
    return [Heading(WORKED_OUT, level), KeyValues(rows)] if rows else []


@dataclass
class Document:
    title: str
    subtitle: str = ""
    marking: str = "OFFICIAL-SENSITIVE"  # protective marking in every page header
    blocks: list[Block] = field(default_factory=list)
    landscape: bool = False

    def add(self, *blocks: Block) -> Document:
        self.blocks.extend(blocks)
        return self


# --- PDF -----------------------------------------------------------------------------------------

CSS = """
@page { size: A4 %(orientation)s; margin: 18mm 15mm 18mm 15mm;
  @top-left { content: "%(marking)s"; font: bold 8pt %(font)s; color: #505a5f; }
  @top-right { content: "%(title)s"; font: 8pt %(font)s; color: #505a5f; }
  %(footer)s }
body { font-family: %(font)s, Arial, sans-serif; font-size: 10pt; color: #0b0c0c; line-height: 1.35; }
h1 { font-size: 20pt; margin: 0 0 4pt 0; }
h2 { font-size: 14pt; margin: 16pt 0 6pt 0; border-bottom: 1pt solid #b1b4b6; padding-bottom: 2pt; }
h3 { font-size: 11pt; margin: 12pt 0 4pt 0; }
h2, h3, h4, caption, thead { break-after: avoid; }  /* keep titles with what they introduce */
p.subtitle { font-size: 12pt; color: #505a5f; margin-top: 0; }
p.hint { color: #505a5f; }
p.warning { border-left: 4pt solid #d4351c; padding-left: 6pt; }
table { border-collapse: collapse; width: 100%%; margin: 4pt 0 10pt 0; }
caption { text-align: left; font-weight: bold; padding-bottom: 3pt; }
th, td { border: 0.5pt solid #b1b4b6; padding: 3pt 4pt; vertical-align: top; text-align: left; }
th { background: #f3f2f1; }
table.kv th { width: 32%%; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
figure { margin: 6pt 0; }
figure svg { width: 100%%; height: auto; }
figcaption { font-size: 9pt; color: #505a5f; }
@page wide { size: A4 landscape; }
@page narrow { size: A4 portrait; }
table.compact { table-layout: fixed; font-size: 7pt; line-height: 1.2; margin-top: 2pt; }
table.compact th, table.compact td { padding: 0.6pt 2pt; border-width: 0.3pt; }
div.break { break-before: page; }
div.wide { page: wide; }
div.narrow { page: narrow; }
"""


def _esc(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


FOOTER = '@bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt %(font)s; color: #505a5f; }'


@dataclass(frozen=True)
class ListingSlot:
    """Where a run of compact tables goes in the PDF: after the page holding the element ``slot``."""

    slot: str
    tables: list[Table]
    landscape: bool


def to_html(document: Document, listings: list[ListingSlot] | None = None) -> str:
    """The document as HTML for WeasyPrint. Given a list for ``listings``, compact tables are left out
    (each run of them replaced by an empty slot element, noted in the list) and drawn separately."""
    parts = [f"<div><h1>{_esc(document.title)}</h1>"]
    if document.subtitle:
        parts.append(f'<p class="subtitle">{_esc(document.subtitle)}</p>')
    landscape = document.landscape
    pending: PageBreak | None = None  # a page break waits until something follows it in the flow
    run: list[Table] = []
    for position, block in enumerate(document.blocks):
        if listings is not None and isinstance(block, Table) and block.compact:
            run.append(block)
            following = document.blocks[position + 1] if position + 1 < len(document.blocks) else None
            if not (isinstance(following, Table) and following.compact):
                slot = f"listing-{len(listings)}"
                listings.append(ListingSlot(slot, run, landscape))
                parts.append(f'<div id="{slot}"></div>')
                run = []
                pending = PageBreak(landscape)  # what follows the listing starts a new page
            continue
        if isinstance(block, PageBreak):
            landscape = block.landscape
            if listings is not None:
                pending = block
                continue
        elif pending is not None:
            parts.append(f'</div><div class="break {"wide" if pending.landscape else "narrow"}">')
            pending = None
        if isinstance(block, Heading):
            level = min(block.level + 1, 4)
            parts.append(f"<h{level}>{_esc(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            css = f' class="{block.style}"' if block.style else ""
            parts.append(f"<p{css}>{_esc(block.text)}</p>")
        elif isinstance(block, KeyValues):
            rows = "".join(
                f'<tr><th scope="row">{_esc(k)}</th><td>{_esc(v)}</td></tr>' for k, v in block.rows
            )
            parts.append(f'<table class="kv">{rows}</table>')
        elif isinstance(block, Table):
            caption = f"<caption>{_esc(block.caption)}</caption>" if block.caption else ""
            cols = ""
            if block.widths:
                total = sum(block.widths)
                cols = "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in block.widths)
            head = "".join(f'<th scope="col">{_esc(h)}</th>' for h in block.headings)
            body = []
            for index, row in enumerate(block.rows):
                fill = block.row_fills[index] if index < len(block.row_fills) else None
                style = f' style="background:{fill}"' if fill else ""
                body.append(f"<tr{style}>" + "".join(f"<td>{_esc(cell)}</td>" for cell in row) + "</tr>")
            css = ' class="compact"' if block.compact else ""
            parts.append(
                f"<table{css}>{caption}<colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            )
        elif isinstance(block, Picture):
            parts.append(f"<figure>{block.svg}<figcaption>{_esc(block.description)}</figcaption></figure>")
        elif isinstance(block, PageBreak):
            parts.append(f'</div><div class="break {"wide" if block.landscape else "narrow"}">')
    parts.append("</div>")
    css = CSS % {
        "footer": "" if listings else FOOTER % {"font": FONT},
        "orientation": "landscape" if document.landscape else "portrait",
        "marking": document.marking.replace('"', ""),
        "title": document.title.replace('"', "")[:80],
        "font": FONT,
    }
    return (
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{_esc(document.title)}</title>'
        f"<style>{css}</style></head><body>{''.join(parts)}</body></html>"
    )


def to_pdf(document: Document) -> bytes:
    """A tagged PDF (PDF/UA-1) so screen readers can follow headings and tables.

    Compact tables (listings of hundreds or thousands of rows) are not laid out by WeasyPrint,
    which takes minutes and gigabytes for them, but drawn onto pages of their own
    (``pdf_listings``) and added where they belong as WeasyPrint writes the file."""
    from weasyprint import HTML

    from chronicle.core.pdf_listings import Listing, ListingPages

    slots: list[ListingSlot] = []
    html = to_html(document, slots)
    rendered = HTML(string=html).render()
    listings = ListingPages(document.marking.replace('"', ""), document.title.replace('"', "")[:80])
    for slot in slots:
        # The listing starts below whatever WeasyPrint put above its slot (CSS pixels from the top).
        found = [(i, p) for i, p in enumerate(rendered.pages) if slot.slot in p.anchors]
        index, page = found[0] if found else (len(rendered.pages) - 1, rendered.pages[-1])
        top = page.anchors[slot.slot][1] if found else page.height
        listings.add(
            [Listing(t.headings, t.rows, t.caption, t.widths, t.row_fills) for t in slot.tables],
            slot.landscape,
            index,
            (page.height - top) * 0.75,
        )
    pdf: bytes = rendered.write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True, finisher=listings.finish if slots else None
    )
    return pdf


# --- Word ----------------------------------------------------------------------------------------


def svg_to_png(svg: str, width_px: int = 1600) -> bytes:
    """Word cannot show SVG; draw it through WeasyPrint to a PNG."""
    from weasyprint import HTML

    # The page takes the picture's own proportions, so the PNG has no blank space below it.
    size = f"{width_px}px"
    found = re.search(r'<svg\b[^>]*?\bwidth="([\d.]+)"[^>]*?\bheight="([\d.]+)"', svg)
    if found and float(found.group(1)) > 0:
        size += f" {math.ceil(width_px * float(found.group(2)) / float(found.group(1)))}px"
    page = (
        f"<html><head><style>@page {{ size: {size}; margin: 0 }} body {{ margin: 0 }} svg {{ display: block; width: 100%; height: auto }}</style>"
        f"</head><body>{svg}</body></html>"
    )
    pdf = HTML(string=page).write_pdf()
    return _pdf_first_page_png(pdf)


def _pdf_first_page_png(pdf: bytes) -> bytes:
    import subprocess
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "picture.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "110", "-singlefile", str(source), str(Path(folder) / "picture")],
            check=True,
        )
        return (Path(folder) / "picture.png").read_bytes()


def to_docx(document: Document) -> bytes:
    from docx import Document as WordDocument
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    word = WordDocument()
    style = word.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)
    section = word.sections[0]

    def orient(landscape: bool) -> None:
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Mm(15))

    orient(document.landscape)
    header = section.header.paragraphs[0]
    header.text = f"{document.marking}    {document.title}"
    header.runs[0].font.size = Pt(8)
    word.core_properties.title = document.title
    word.core_properties.created = dt.datetime.now()

    word.add_heading(document.title, level=0)
    if document.subtitle:
        word.add_paragraph(document.subtitle)

    def usable_width() -> int:
        if section.page_width is None or section.left_margin is None or section.right_margin is None:
            return int(Mm(180))
        return int(section.page_width - section.left_margin - section.right_margin)

    def shade(cell: object, fill: str) -> None:
        properties = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), fill.lstrip("#"))
        properties.append(shading)

    def set_widths(table: object, weights: Sequence[float]) -> None:
        # LibreOffice reads the table grid, Word the cells: set both.
        table.autofit = False  # type: ignore[attr-defined]
        usable = usable_width()
        total = sum(weights)
        for column, weight in zip(table.columns, weights, strict=False):  # type: ignore[attr-defined]
            column.width = int(usable * weight / total)
            for cell in column.cells:
                cell.width = int(usable * weight / total)

    def repeat_header(row: object) -> None:
        properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
        flag = OxmlElement("w:tblHeader")
        flag.set(qn("w:val"), "true")
        properties.append(flag)

    for block in document.blocks:
        if isinstance(block, Heading):
            word.add_heading(block.text, level=min(block.level, 3))
        elif isinstance(block, Paragraph):
            paragraph = word.add_paragraph(block.text)
            if block.style in {"hint", "warning"}:
                for run in paragraph.runs:
                    run.font.color.rgb = (
                        RGBColor(0x50, 0x5A, 0x5F) if block.style == "hint" else RGBColor(0xB0, 0x2A, 0x17)
                    )
        elif isinstance(block, KeyValues):
            table = word.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            for key, value in block.rows:
                cells = table.add_row().cells
                cells[0].text, cells[1].text = key, value
                cells[0].paragraphs[0].runs[0].font.bold = True
                shade(cells[0], "#f3f2f1")
            set_widths(table, (32, 68))
        elif isinstance(block, Table) and block.compact:
            if block.caption:
                caption = word.add_paragraph(block.caption)
                caption.runs[0].font.bold = True
            word.element.body._insert_tbl(
                _compact_word_table(block, usable_width())
            )  # before the last section
        elif isinstance(block, Table):
            if block.caption:
                caption = word.add_paragraph(block.caption)
                caption.runs[0].font.bold = True
            table = word.add_table(rows=1, cols=len(block.headings))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, block.headings, strict=True):
                cell.text = text
                cell.paragraphs[0].runs[0].font.bold = True
                shade(cell, "#f3f2f1")
            repeat_header(table.rows[0])
            for index, row in enumerate(block.rows):
                cells = table.add_row().cells
                fill = block.row_fills[index] if index < len(block.row_fills) else None
                for cell, text in zip(cells, row, strict=True):
                    cell.text = text
                    if fill:
                        shade(cell, fill)
            if block.widths:
                set_widths(table, block.widths)
        elif isinstance(block, Picture):
            png = block.png or svg_to_png(block.svg)
            word.add_picture(io.BytesIO(png), width=usable_width())
            picture = word.inline_shapes[-1]._inline.docPr
            picture.set("descr", block.description)
            caption = word.add_paragraph(block.description)
            caption.runs[0].font.size = Pt(8)
        elif isinstance(block, PageBreak):
            section = word.add_section(WD_SECTION.NEW_PAGE)
            orient(block.landscape)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _word_text(text: str) -> str:
    """Text for a WordprocessingML run: escaped, control characters dropped, line breaks kept."""
    lines = html.escape(_XML_UNSAFE.sub("", text), quote=False).split("\n")
    return "<w:br/>".join(f'<w:t xml:space="preserve">{line}</w:t>' for line in lines)


def _compact_word_table(block: Table, usable: int) -> object:
    """A compact table written as WordprocessingML in one go: python-docx's cell by cell API takes
    minutes for tens of thousands of cells. 7 pt type, thin borders, the heading row repeated."""
    from docx.oxml import parse_xml

    twips = usable // 635  # EMU to twentieths of a point
    weights = list(block.widths) or [1.0] * len(block.headings)
    widths = [int(twips * w / sum(weights)) for w in weights]
    run = '<w:r><w:rPr><w:sz w:val="14"/>{bold}</w:rPr>{text}</w:r>'
    paragraph = (
        '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="200" w:lineRule="auto"/></w:pPr>{run}</w:p>'
    )

    def row(cells: Sequence[str], heading: bool = False, fill: str | None = None) -> str:
        shade = f'<w:shd w:val="clear" w:fill="{fill.lstrip("#")}"/>' if fill else ""
        parts = []
        for width, text in zip(widths, cells, strict=True):
            body = run.format(bold="<w:b/>" if heading else "", text=_word_text(text)) if text else ""
            parts.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr>{paragraph.format(run=body)}</w:tc>'
            )
        header = (
            "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" if heading else "<w:trPr><w:cantSplit/></w:trPr>"
        )
        return f"<w:tr>{header}{''.join(parts)}</w:tr>"

    fills = list(block.row_fills)
    rows = [row(block.headings, heading=True, fill="#f3f2f1")]
    rows += [row(cells, fill=fills[i] if i < len(fills) else None) for i, cells in enumerate(block.rows)]
    border = '<w:{side} w:val="single" w:sz="2" w:space="0" w:color="B1B4B6"/>'
    borders = "".join(
        border.format(side=side) for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    namespace = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    return parse_xml(
        f'<w:tbl {namespace}><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblCellMar><w:left w:w="40" w:type="dxa"/>'
        f'<w:right w:w="40" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>'
    )


def render(document: Document, fmt: str) -> tuple[bytes, str]:
    """The document as bytes with its content type; ``fmt`` is "docx" or "pdf"."""
    if fmt == "pdf":
        return to_pdf(document), "application/pdf"
    if fmt == "docx":
        return to_docx(document), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    raise ValueError(f"unknown document format {fmt!r}: use docx or pdf")
