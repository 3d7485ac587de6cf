"""Plain-text metadata in the styles of several outlets: headline, byline, dateline, date."""

from __future__ import annotations

import pytest

from policycorpus.sources.files import read_text
from policycorpus.sources.textmeta import byline_names, find_dateline

BODY = ("The county Board of Supervisors voted 3-2 on Tuesday to stop honoring immigration "
        "detainers without a judicial warrant, Sheriff Kelly Martinez said.")
MORE = ["Supervisor Nora Vargas said the vote would rebuild trust.",
        "The policy takes effect next month."]


def page(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs) + "\n"


@pytest.mark.parametrize("line, names", [
    ("By Ana Ruiz, Associated Press", ["Ana Ruiz"]),                       # wire copy
    ("By Ana Ruiz and Tom Baker, Staff Writers", ["Ana Ruiz", "Tom Baker"]),
    ("By Ana Ruiz, Tom Baker, and Lee Chen", ["Ana Ruiz", "Tom Baker", "Lee Chen"]),  # serial comma
    ("BY ANA RUIZ | THE TEXAS TRIBUNE", ["Ana Ruiz"]),                     # capitals, bar
    ("By: Kevin de León - Staff Writer", ["Kevin de León"]),
    ("Story by Ana Ruiz & Tom Baker", ["Ana Ruiz", "Tom Baker"]),
    ("By Ana Ruiz/CalMatters", ["Ana Ruiz"]),
    ("By The Associated Press", ["The Associated Press"]),
    ("By Tuesday, the board had voted.", []),
    ("By law, the county must notify ICE.", []),
    ("By Office of the County Counsel", []),
])
def test_byline_names(line, names):
    assert byline_names(line) == names


@pytest.mark.parametrize("opening, place, published", [
    ("LOS ANGELES — ", "LOS ANGELES", ""),                                  # LA Times
    ("SACRAMENTO, Calif. (AP) — ", "SACRAMENTO, Calif.", ""),               # AP
    ("WASHINGTON, Nov. 3, 2025 — ", "WASHINGTON", "2025-11-03"),
    ("NEW YORK, Nov 3 (Reuters) - ", "NEW YORK", ""),                       # Reuters, no year
    ("SAN DIEGO -- ", "SAN DIEGO", ""),
    ("EL PASO, Texas — ", "EL PASO, Texas", ""),
])
def test_datelines(opening, place, published):
    dateline = find_dateline(["Board limits detainers", opening + BODY, *MORE])
    assert dateline is not None
    assert (dateline.place, dateline.published) == (place, published)


@pytest.mark.parametrize("paragraph", [
    "The board voted 3-2 on Tuesday — the second vote this year — to stop honoring detainers "
    "without a judicial warrant.",
    "ICE — the federal agency — said the county had stopped honoring detainers without a "
    "judicial warrant on Tuesday.",
    "El Cajon — the county's second city — voted on Tuesday to stop honoring detainers "
    "without a warrant.",
])
def test_no_dateline_in_ordinary_sentences(paragraph):
    assert find_dateline(["Board limits detainers", paragraph, *MORE]) is None


def test_an_ap_style_article():
    result = read_text(page(
        "Board limits immigration detainers in San Diego County",
        "By Ana Ruiz and Tom Baker, Associated Press",
        "Published 6:04 PM PST, November 4, 2025",
        "SAN DIEGO (AP) — " + BODY, *MORE))
    assert result.title == "Board limits immigration detainers in San Diego County"
    assert result.byline == "Ana Ruiz and Tom Baker"
    assert result.dateline == "SAN DIEGO"
    assert result.published == "2025-11-04"


def test_a_newspaper_article_with_the_date_after_the_byline():
    result = read_text(page(
        "Politics", "Board limits immigration detainers",
        "BY ANA RUIZ | Nov. 4, 2025 at 6:04 p.m.",
        "SAN DIEGO — " + BODY, *MORE))
    assert (result.byline, result.published, result.dateline) == ("Ana Ruiz", "2025-11-04",
                                                                   "SAN DIEGO")


def test_a_nonprofit_newsroom_article_with_published_and_updated_lines():
    result = read_text(page(
        "Board limits immigration detainers",
        "Ana Ruiz", "Updated: Nov. 6, 2025", "Published: Nov. 4, 2025",
        "In San Diego, " + BODY[0].lower() + BODY[1:], *MORE))
    assert result.published == "2025-11-04"
    assert result.dateline == ""


def test_a_report_dated_by_month():
    result = read_text(page("Annual report on immigration detainers", "March 2024",
                            "In San Diego, " + BODY[0].lower() + BODY[1:], *MORE))
    assert result.published == "2024-03"


def test_a_dateline_gives_the_date_when_no_date_line_does():
    result = read_text(page("Board limits immigration detainers",
                            "WASHINGTON, Nov. 3, 2025 — " + BODY, *MORE))
    assert (result.dateline, result.published) == ("WASHINGTON", "2025-11-03")
