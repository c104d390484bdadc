"""The words of a document Chronicle lays out, flattened to one line for searching."""

from __future__ import annotations

from chronicle.core.documents import Document, Heading, KeyValues, Paragraph, Table


def flat(text: str) -> str:
    return " ".join(text.split())


def document_text(document: Document) -> str:
    parts = [document.title, document.subtitle]
    for block in document.blocks:
        if isinstance(block, Heading | Paragraph):
            parts.append(block.text)
        elif isinstance(block, KeyValues):
            parts += [f"{k}: {v}" for k, v in block.rows]
        elif isinstance(block, Table):
            parts += [block.caption, *block.headings, *(" | ".join(row) for row in block.rows)]
    return flat("\n".join(parts))
