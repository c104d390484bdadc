from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from docx import Document

from chronicle.audit.models import Action, AuditEvent
from tests.support.forms import answers_form


def pdfinfo(content: bytes) -> str:
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        return subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True, check=True).stdout


def test_it_exports_the_screening_record_as_word(as_: Any, incident: Any) -> None:
    client = as_("manager")
    client.post(f"/incidents/{incident.code}/screen/", {**answers_form(incident), "outcome": "notifiable"})
    response = client.get(f"/incidents/{incident.code}/notification-summary.docx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="NS-2024-017-notification-summary.docx"'
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for r in t.rows for c in r.cells
    )
    assert "NS-2024-017" in text and "Notifiable" in text
    assert (
        "Does the local authority know or suspect that the child has been abused or neglected?" in text
    )  # every criterion
    assert AuditEvent.objects.filter(action=Action.EXPORT, object_id=str(incident.code)).exists()


def test_it_exports_a_tagged_pdf(as_: Any, incident: Any) -> None:
    response = as_("manager").get(f"/incidents/{incident.code}/notification-summary.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    info = pdfinfo(response.content)
    assert "Tagged:          yes" in info  # tagged for screen readers
    assert "Serious incident notification summary" in info


def test_it_refuses_unknown_formats(as_: Any, incident: Any) -> None:
    assert as_("manager").get(f"/incidents/{incident.code}/notification-summary.xls").status_code == 404


@pytest.mark.parametrize("persona", ["owner", "other_agency", "reviewer", "auditor", "outsider"])
def test_it_lets_only_the_manager_export(as_: Any, incident: Any, persona: str) -> None:
    assert as_(persona).get(f"/incidents/{incident.code}/notification-summary.pdf").status_code == 404


def test_it_writes_a_real_word_file(as_: Any, incident: Any) -> None:
    content = as_("manager").get(f"/incidents/{incident.code}/notification-summary.docx").content
    assert zipfile.is_zipfile(io.BytesIO(content))
