"""`chronicle workdays add|between`."""

from __future__ import annotations

import pytest

from chronicle.cli import main


def test_it_prints_the_deadline_over_the_2012_jubilee(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["workdays", "add", "2012-05-31", "5"]) == 0
    assert capsys.readouterr().out == "2012-06-11\n"


def test_it_prints_the_deadline_over_christmas(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["workdays", "add", "2022-12-22", "5"]) == 0
    assert capsys.readouterr().out == "2023-01-03\n"


def test_it_prints_the_working_days_between_two_dates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["workdays", "between", "2012-05-31", "2012-06-11"]) == 0
    assert capsys.readouterr().out == "5\n"


def test_it_honours_repeated_closure_days(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["workdays", "add", "2024-12-23", "3", "--closure", "2024-12-27", "--closure", "2024-12-30"]
    assert main(argv) == 0
    assert capsys.readouterr().out == "2025-01-02\n"
    assert main(["workdays", "between", "2024-12-23", "2025-01-02", "--closure", "2024-12-30"]) == 0
    assert capsys.readouterr().out == "4\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["workdays", "add", "2012-13-01", "5"], "'2012-13-01' is not a date in the form YYYY-MM-DD"),
        (["workdays", "add", "31/05/2012", "5"], "'31/05/2012' is not a date"),
        (["workdays", "add", "2012-05-31", "five"], "'five' is not a whole number"),
        (["workdays", "add", "2012-05-31", "-1"], "negative"),
        (["workdays", "between", "2012-05-31", "2040-01-01"], "outside the working-day calendar"),
        (["workdays", "add", "2012-05-31", "5", "--closure", "tomorrow"], "'tomorrow' is not a date"),
        (["workdays", "add", "2035-12-20", "30"], "falls after 2035-12-31"),
        (["workdays"], "required"),
    ],
)
def test_it_exits_2_with_a_clear_message_for_bad_input(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        status = main(argv)
        raise SystemExit(status)
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert message in error
    assert "chronicle workdays" in error
