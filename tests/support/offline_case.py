"""Three agencies' files about one baby, as an offline case to merge: children's social care (CSV),
police (XLSX) and a GP practice (DOCX)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from tests.core.import_files import docx_bytes, xlsx_bytes

BORN = "2016-01-10"  # the GP's bruise on 12/05/2016 is on a four-month-old
POLICE = "Northshire Police"
GP = "Riverside GP Practice"
CSC = "Northshire Children's Social Care"
FORMULA = '=HYPERLINK("http://example.com","click")'


def csv_file(headings: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headings)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@dataclass(frozen=True)
class Case:
    csc: Path  # CSV with an Agency column
    police: Path  # XLSX without one
    gp: Path  # DOCX without one

    def args(self) -> list[str]:
        return [
            str(self.csc),
            str(self.police),
            str(self.gp),
            "--agency",
            f"{POLICE}={self.police}",
            "--agency",
            f"{GP}={self.gp}",
        ]


def write_case(folder: Path) -> Case:
    """Children's social care (CSV), police (XLSX) and a GP practice (DOCX) about one baby."""
    csc = folder / "csc.csv"
    csc.write_bytes(
        csv_file(
            ["Date", "Agency", "Source of information", "Event type", "Description", "Action"],
            [
                # Decided four working days later: CJ-01 not met.
                ["02/03/2016", CSC, "Contact record 1", "Referral", "Referral received from Riverside Primary "
                 "School about neglect of Child A", ""],
                ["08/03/2016", CSC, "Contact record 1", "Referral decision", "Manager decision: child and "
                 "family assessment to start", ""],
                # No decision recorded at all: CJ-01 cannot be determined.
                ["06/06/2016", CSC, "Contact record 2", "Referral", "Referral received from police after a "
                 "domestic incident at the family home", ""],
                ["14/06/2016", CSC, "Strategy minutes", "Strategy discussion", "Strategy discussion held with "
                 "police about domestic abuse at the family home", "Section 47 enquiry agreed"],
                ["20/06/2016", CSC, "Visit record", "Visit", "Joint home visit with police officer, Child A seen "
                 "asleep in cot", ""],
            ],
        )
    )  # fmt: skip
    police = folder / "police.xlsx"
    police.write_bytes(
        xlsx_bytes(
            ["Ref", "Date", "Time", "Source", "Details"],
            [
                ["P1", dt.date(2016, 6, 5), dt.time(22, 15), "Storm log 1234",
                 "Police called to domestic incident at the home of Jane Brown; Child A present"],
                ["P2", dt.date(2016, 6, 14), None, "PPU record",
                 "Strategy discussion held with children's social care about domestic abuse at the family home"],
                ["P3", dt.date(2016, 6, 20), None, "PPU record", "Joint home visit with social worker, Child A not seen"],
                ["P4", dt.date(2016, 7, 1), None, "Email", FORMULA],
            ],
        )
    )  # fmt: skip
    gp = folder / "gp.docx"
    gp.write_bytes(
        docx_bytes(
            [
                [
                    ["Date", "Source of information", "Description"],
                    ["12/05/2016", "EMIS consultation", "Seen by GP with mother Jane Brown for immunisations; "
                     "small bruise noted on left cheek"],
                    ["?June 2016", "Hospital letter", "Letter from hospital: missed paediatric outpatient appointment"],
                ]
            ],
            ["GP chronology for Child A"],
        )
    )  # fmt: skip
    return Case(csc, police, gp)
