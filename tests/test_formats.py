"""Reading each input format: the text kept, the chrome dropped, the metadata found,
record files split into named documents. No spaCy here: these test the readers."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import pytest
from format_fixtures import html_page, make_docx, make_pdf, write

from policycorpus.errors import InputError
from policycorpus.sources.files import SourceFile, iter_sources
from policycorpus.sources.readers import RecordFields, iter_documents, stale_records
from policycorpus.sources.readers.reflow import reflow_pages

ARTICLE = [
    "FRESNO — The Fresno City Council voted 5-2 on Tuesday to end its 287(g) agreement with "
    "U.S. Immigration and Customs Enforcement, Mayor Jerry Dyer said.",
    "Sheriff Margaret Mims said the county would keep working with federal authorities as far "
    "as state law SB 54 allows.",
    'Council member Annalisa Perea said residents had asked for the change for years. "People '
    'were afraid to call the police," she said.',
]
HEADLINE = "Fresno council ends 287(g) deal with ICE"


def documents(path: Path, fields: RecordFields | None = None) -> list:
    """The documents a file yields, as ingest sees them."""
    source = SourceFile(path, path.name)
    return list(iter_documents(source, path.read_bytes(), fields))


def only(path: Path):
    """Load the single document of a one-document file."""
    (document,) = documents(path)
    return document.load()


# -- HTML ------------------------------------------------------------------------------


def test_html_keeps_the_article_and_reads_the_page_metadata(tmp_path):
    page = write(tmp_path / "fresno.html", html_page(
        title=HEADLINE, paragraphs=[ARTICLE[0], "Advertisement", *ARTICLE[1:]],
        site="The Valley Ledger", author="Ana Ruiz; Tom Baker",
        published="2025-11-03T10:00:00-08:00", url="https://valleyledger.example/news/fresno-ice"))

    found = only(page)

    assert found.text.startswith(HEADLINE + "\n\n")
    for paragraph in ARTICLE:
        assert paragraph in found.text
    for chrome in ("Subscribe", "Share on Facebook", "Most read", "taqueria", "All rights",
                   "Privacy", "Advertisement"):
        assert chrome not in found.text
    assert found.title == HEADLINE
    assert found.byline == "Ana Ruiz and Tom Baker"
    assert found.published == "2025-11-03"
    assert found.outlet == "The Valley Ledger"
    assert found.url == "https://valleyledger.example/news/fresno-ice"
    assert found.dateline == "FRESNO"


def test_html_without_meta_tags_takes_its_dates_and_byline_from_the_text(tmp_path):
    page = write(tmp_path / "plain.htm", f"""<html><body><h1>{HEADLINE}</h1>
        <p>By Lee Chen, Associated Press</p><p>Published Nov. 3, 2025</p>
        {"".join(f"<p>{p}</p>" for p in ARTICLE)}</body></html>""")

    found = only(page)

    assert found.title == HEADLINE
    assert found.byline == "Lee Chen"
    assert found.published == "2025-11-03"
    assert ARTICLE[1] in found.text


def test_an_html_page_with_no_article_is_reported(tmp_path):
    page = write(tmp_path / "empty.html",
                 "<html><head><script>var app = 1;</script></head><body><div></div></body></html>")
    with pytest.raises(InputError, match="no article text"):
        only(page)


# -- PDF -------------------------------------------------------------------------------


def test_pdf_lines_pages_and_hyphenated_words_are_rejoined(tmp_path):
    pdf = write(tmp_path / "resolution.pdf", make_pdf([
        ["CITY OF FRESNO", "Resolution No. 2025-114",
         "September 4, 2025",
         "WHEREAS the City Council has received a proposal from U.S. Immigra-",
         "tion and Customs Enforcement to enter a long-term agreement under",
         "Section 287(g) of the Immigration and Nationality Act, which the",
         "Page 1 of 2"],
        ["CITY OF FRESNO",
         "council has debated since March; and WHEREAS Mayor Jerry Dyer has",
         "asked that any long-",
         "term agreement be put to a public hearing.",
         "NOW, THEREFORE, BE IT RESOLVED that the agreement is declined.",
         "Page 2 of 2"],
    ], title="Resolution No. 2025-114", author="Office of the City Clerk"))

    found = only(pdf)

    assert ("WHEREAS the City Council has received a proposal from U.S. Immigration and Customs "
            "Enforcement to enter a long-term agreement under Section 287(g) of the Immigration "
            "and Nationality Act, which the council has debated since March;") in found.text
    assert "asked that any long-term agreement be put to a public hearing." in found.text
    assert "Page 1" not in found.text and "Page 2" not in found.text
    assert found.text.count("CITY OF FRESNO") == 0  # a running header, on every page
    assert found.title == "Resolution No. 2025-114"
    assert found.published == "2025-09-04"
    assert found.byline == ""  # the author property is an office, not a person


def test_pdf_properties_fill_in_what_the_text_lacks(tmp_path):
    pdf = write(tmp_path / "letter.pdf", make_pdf(
        [["Dear Sheriff Mims,",
          "We write to ask that the county end its cooperation with immigration detainers",
          "issued by U.S. Immigration and Customs Enforcement.",
          "Sincerely,", "Ana Ruiz"]],
        title="Letter to the Sheriff", author="Ana Ruiz", created=datetime(2025, 10, 14, 9, 30)))

    found = only(pdf)

    assert "Dear Sheriff Mims," in found.text.split("\n\n")
    assert ("We write to ask that the county end its cooperation with immigration detainers "
            "issued by U.S. Immigration and Customs Enforcement.") in found.text
    assert found.byline == "Ana Ruiz"
    assert found.published == "2025-10-14"


def test_a_scanned_pdf_without_text_is_skipped_with_a_reason(tmp_path):
    scan = write(tmp_path / "scan.pdf", make_pdf([[], []]))
    with pytest.raises(InputError, match=r"no text layer in 2 page\(s\).*OCR"):
        only(scan)


def test_a_broken_pdf_is_reported_not_raised(tmp_path):
    broken = write(tmp_path / "broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF")
    with pytest.raises(InputError, match="not a readable PDF"):
        only(broken)


@pytest.mark.parametrize("lines, paragraphs", [
    (["A full line of text that runs to the right margin of", "the page and ends here.",
      "Next paragraph starts after a short line."],
     ["A full line of text that runs to the right margin of the page and ends here.",
      "Next paragraph starts after a short line."]),
    (["Molly Hennessy-", "Fiske reported from the border crossing near San Ysidro, where",
      "lines were long.", "The 2019-", "2020 budget was cut."],
     ["Molly Hennessy-Fiske reported from the border crossing near San Ysidro, where lines "
      "were long.", "The 2019-2020 budget was cut."]),
    (["a self-", "governing city has a self-governing charter."],
     ["a self-governing city has a self-governing charter."]),
])
def test_reflow_joins_lines_and_keeps_real_hyphens(lines, paragraphs):
    assert reflow_pages(["\n".join(lines)]).split("\n\n") == paragraphs


# -- Word ------------------------------------------------------------------------------


def test_docx_reads_paragraphs_and_tables_in_order_without_the_footer(tmp_path):
    doc = write(tmp_path / "memo.docx", make_docx(
        ["By Ana Ruiz", "October 2, 2025", *ARTICLE],
        heading=HEADLINE, table=[["Council member", "Vote"], ["Annalisa Perea", "Yes"]],
        title="Template", author="jsmith", footer="Confidential draft - page 1"))

    found = only(doc)

    paragraphs = found.text.split("\n\n")
    assert paragraphs[0] == HEADLINE
    assert paragraphs[-2:] == ["Council member | Vote", "Annalisa Perea | Yes"]
    assert "Confidential" not in found.text
    assert found.title == HEADLINE  # "Template" is not in the text
    assert found.byline == "Ana Ruiz"
    assert found.published == "2025-10-02"
    assert found.dateline == "FRESNO"


def test_docx_properties_fill_in_what_the_text_lacks(tmp_path):
    doc = write(tmp_path / "note.docx", make_docx(
        ARTICLE, title="Council ends the 287(g) deal", author="Lee Chen",
        created=datetime(2025, 11, 5, 8, 0)))
    found = only(doc)
    assert found.byline == "Lee Chen"
    assert found.published == "2025-11-05"


def test_a_file_named_docx_that_is_not_one_is_reported(tmp_path):
    fake = write(tmp_path / "fake.docx", "just text")
    with pytest.raises(InputError, match="not a readable Word"):
        only(fake)


# -- optional libraries ----------------------------------------------------------------


@pytest.mark.parametrize("name, module, extra", [
    ("page.html", "trafilatura", "html"),
    ("letter.pdf", "pypdf", "pdf"),
    ("memo.docx", "docx", "docx"),
])
def test_a_missing_library_names_the_extra_to_install(tmp_path, monkeypatch, name, module, extra):
    path = write(tmp_path / name, b"irrelevant")
    monkeypatch.setitem(sys.modules, module, None)  # "import module" now raises ImportError
    with pytest.raises(InputError) as info:
        only(path)
    assert str(info.value) == (
        f"reading {name} needs the {extra} extra: pip install 'policycorpus[{extra}]'")


# -- records ---------------------------------------------------------------------------


def test_jsonl_records_are_documents_named_by_id_or_record_number(tmp_path):
    lines = [
        {"id": "ap-101", "title": HEADLINE, "text": ARTICLE[0], "date": "2025-11-03T18:00:00Z",
         "url": "https://example.org/a", "authors": ["Ana Ruiz", {"name": "Lee Chen"}],
         "outlet": {"name": "The Valley Ledger"}},
        {"content": ARTICLE[1], "published": "Nov. 20, 2025"},
        {"id": "ap-103", "body": ["Paragraph one about SB 54.", "Paragraph two."],
         "publish_date": "2025-12"},
    ]
    path = write(tmp_path / "wire.jsonl",
                 "\n".join(json.dumps(line) for line in lines[:2]) + "\n\n" + json.dumps(lines[2]))

    docs = documents(path)

    assert [d.name for d in docs] == ["wire.jsonl#ap-101", "wire.jsonl#2", "wire.jsonl#ap-103"]
    assert {d.format for d in docs} == {"jsonl"}
    first, second, third = (d.load() for d in docs)
    assert first.text == f"{HEADLINE}\n\n{ARTICLE[0]}"
    assert (first.title, first.published, first.url) == (HEADLINE, "2025-11-03", "https://example.org/a")
    assert first.byline == "Ana Ruiz and Lee Chen"
    assert first.outlet == "The Valley Ledger"
    assert (second.text, second.published) == (ARTICLE[1], "2025-11-20")
    assert third.text == "Paragraph one about SB 54.\n\nParagraph two."
    assert third.published == "2025-12"


def test_csv_rows_are_documents_and_fields_can_be_named(tmp_path):
    path = write(tmp_path / "archive.csv",
                 "guid,headline,story,when,link\n"
                 f'g-1,{HEADLINE},"{ARTICLE[0]}",11/03/2025,https://example.org/1\n'
                 f'g-2,Sheriff keeps jail policy,"{ARTICLE[1]}",2025-10-01,https://example.org/2\n')

    with pytest.raises(InputError, match=r"no text column \(looked for: text, content, body\); "
                                         r"name it with --text-field"):
        documents(path)[0].load()

    fields = RecordFields().with_names(text="story", date="when", id="guid")
    docs = documents(path, fields)

    assert [d.name for d in docs] == ["archive.csv#g-1", "archive.csv#g-2"]
    first = docs[0].load()
    assert first.text == f"{HEADLINE}\n\n{ARTICLE[0]}"
    assert (first.published, first.url) == ("2025-11-03", "https://example.org/1")


def test_semicolon_csv_and_json_arrays_are_read(tmp_path):
    semicolon = write(tmp_path / "export.csv", f"title;text\nOne;{ARTICLE[0]}\nTwo;{ARTICLE[1]}\n")
    assert [d.load().title for d in documents(semicolon)] == ["One", "Two"]
    array = write(tmp_path / "dump.json", json.dumps(
        {"articles": [{"id": 7, "headline": "Seven", "text": ARTICLE[2]}]}))
    (doc,) = documents(array)
    assert doc.name == "dump.json#7"
    assert doc.load().title == "Seven"


def test_bad_and_repeated_records_are_reported_one_by_one(tmp_path):
    path = write(tmp_path / "mixed.jsonl", "\n".join([
        json.dumps({"id": "a", "text": ARTICLE[0]}),
        "{not json",
        json.dumps({"id": "a", "text": ARTICLE[1]}),
        json.dumps({"id": "b", "title": "No text here"}),
        json.dumps(["a", "list"]),
    ]))

    docs = documents(path)

    assert [d.name for d in docs] == ["mixed.jsonl#a", "mixed.jsonl#2", "mixed.jsonl#a",
                                      "mixed.jsonl#b", "mixed.jsonl#5"]
    assert docs[0].load().text == ARTICLE[0]
    messages = []
    for doc in docs[1:]:
        with pytest.raises(InputError) as info:
            doc.load()
        messages.append(str(info.value))
    assert messages[0].startswith("line 2 is not valid JSON")
    assert messages[1] == "record 3 repeats id 'a' of record 1"
    assert messages[2].startswith("no text field")
    assert messages[3] == "line 5 is not a JSON object"


def test_a_record_hash_changes_with_the_record_and_the_fields_used(tmp_path):
    path = write(tmp_path / "two.jsonl", "\n".join(
        json.dumps({"id": i, "text": t, "story": t.upper()}) for i, t in enumerate(ARTICLE[:2])))
    before = {d.name: d.hash for d in documents(path)}

    write(path, "\n".join(json.dumps({"id": i, "text": t, "story": t.upper()})
                          for i, t in enumerate([ARTICLE[0], ARTICLE[2]])))
    after = {d.name: d.hash for d in documents(path)}
    other_field = {d.name: d.hash for d in documents(path, RecordFields().with_names(text="story"))}

    assert after["two.jsonl#0"] == before["two.jsonl#0"]
    assert after["two.jsonl#1"] != before["two.jsonl#1"]
    assert other_field["two.jsonl#0"] != after["two.jsonl#0"]


def test_stale_records_are_those_a_readable_file_no_longer_holds():
    stored = ["a.jsonl#1", "a.jsonl#2", "a.jsonl#3", "b.jsonl#1", "a.jsonl"]
    assert stale_records("a.jsonl", ["a.jsonl#1", "a.jsonl#3"], stored) == ["a.jsonl#2"]
    assert stale_records("a.jsonl", ["a.jsonl"], stored) == []  # unreadable: keep them


# -- finding files ---------------------------------------------------------------------


def test_iter_sources_finds_every_readable_format(tmp_path):
    for name in ("a.html", "b.htm", "c.pdf", "d.docx", "e.jsonl", "f.csv", "g.json", "h.txt",
                 "i.doc", "j.png", "k.xlsx"):
        write(tmp_path / name, "x")
    names = [s.name for s in iter_sources([tmp_path])]
    assert names == ["a.html", "b.htm", "c.pdf", "d.docx", "e.jsonl", "f.csv", "g.json", "h.txt"]
