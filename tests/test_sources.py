"""Reading files: page chrome is dropped, the article body is kept, and the
title, byline and date are found. The fixture pages imitate news sites
other than the seeds'."""

from __future__ import annotations

import pytest

from policycorpus.errors import InputError
from policycorpus.sources.files import content_hash, decode, iter_sources, read_text

BODY = [
    "The Santa Clara County Board of Supervisors voted 4-1 on Tuesday to bar sheriff's "
    "deputies from holding people for immigration agents without a judicial warrant.",
    'Supervisor Cindy Chavez said the policy would keep families together. "This is about '
    'trust," she said.',
    "Sheriff Laurie Smith said her office would follow the new rules, which take effect "
    "next month.",
    "Critics, including the county's Republican Party chair, said the vote put residents "
    "at risk.",
    "The board will revisit the policy in six months.",
]
HEADLINE = "County supervisors vote to limit cooperation with federal immigration agents"


def page(*paragraphs: str) -> str:
    """A plain-text page as saved from a browser: one paragraph per line, blank lines between."""
    return "\n\n".join(paragraphs) + "\n"


def assert_body_kept(text: str) -> None:
    for paragraph in BODY:
        assert paragraph in text, paragraph


# -- chrome ----------------------------------------------------------------------------


def test_a_full_page_keeps_the_article_and_drops_the_chrome():
    raw = page(
        "Skip to main content", "Menu",
        HEADLINE,
        "By Ana Ruiz, Tom Baker and Lee Chen",
        "February 9, 2017",
        "Share",
        BODY[0],
        "Advertisement",
        BODY[1],
        "Sign up for our newsletter",
        "Related:",
        "Five things to know about sanctuary policies",
        *BODY[2:],
        "Tags:",
        "immigration, Santa Clara County, sanctuary",
        "Ana Ruiz covers county government. She grew up in San Jose and studied journalism "
        "at San Jose State.",
        "© 2017 The Valley Herald. All rights reserved.",
    )
    result = read_text(raw)
    assert_body_kept(result.text)
    for chrome in ("Skip to main content", "Menu", "Share", "Advertisement",
                   "Sign up for our newsletter", "Related:", "Five things to know",
                   "Tags:", "sanctuary\n", "covers county government", "All rights reserved"):
        assert chrome not in result.text + "\n", chrome
    assert result.text.startswith(HEADLINE)
    assert result.title == HEADLINE
    assert result.byline == "Ana Ruiz, Tom Baker and Lee Chen"
    assert result.published == "2017-02-09"


@pytest.mark.parametrize("chrome", ["Advertisement", "ADVERTISEMENT", "Share", "Share this story",
                                    "Story continues below advertisement", "Tweet", "Email"])
def test_single_chrome_lines_are_dropped(chrome):
    result = read_text(page(HEADLINE, BODY[0], chrome, *BODY[1:]))
    assert_body_kept(result.text)
    assert chrome not in result.text
    assert chrome in result.dropped


def test_words_of_chrome_inside_a_sentence_are_kept():
    sentence = "Share prices fell after the advertisement aired, and the sheriff said to email her."
    result = read_text(page(HEADLINE, sentence, *BODY))
    assert sentence in result.text


@pytest.mark.parametrize("cue", ["Related:", "RELATED", "Read more:", "You may also like"])
def test_a_related_promo_and_its_headline_are_dropped(cue):
    promo = "Five things to know about sanctuary policies"
    result = read_text(page(HEADLINE, *BODY[:2], cue, promo, *BODY[2:]))
    assert_body_kept(result.text)
    assert cue not in result.text
    assert promo not in result.text


def test_a_related_cue_does_not_eat_a_long_body_paragraph():
    result = read_text(page(HEADLINE, *BODY[:2], "Related:", BODY[2] + " " + BODY[0], *BODY[3:]))
    assert BODY[2] + " " + BODY[0] in result.text


@pytest.mark.parametrize("prompt", ["Sign up for our newsletter",
                                    "Sign up for our daily politics newsletter to get the news."])
def test_a_newsletter_prompt_mid_article_is_dropped_and_the_body_kept(prompt):
    result = read_text(page(HEADLINE, *BODY[:2], prompt, *BODY[2:]))
    assert prompt not in result.text
    assert_body_kept(result.text)


@pytest.mark.parametrize("tags", [
    ["Tags:", "immigration, Santa Clara County, sanctuary"],
    ["Tags: immigration, Santa Clara County, sanctuary"],
])
def test_a_tags_footer_and_the_author_bio_after_it_are_dropped(tags):
    bio = ("Ana Ruiz covers county government for the Herald. She grew up in San Jose and "
           "studied journalism at San Jose State University.")
    result = read_text(page(HEADLINE, *BODY, *tags, bio, "Contact us"))
    assert_body_kept(result.text)
    assert result.text.endswith(BODY[-1])
    assert "Santa Clara County, sanctuary" not in result.text
    assert bio not in result.text


def test_a_footer_cue_near_the_top_does_not_drop_the_article():
    result = read_text(page("Topics:", HEADLINE, *BODY))
    assert_body_kept(result.text)


def test_line_endings_and_non_breaking_spaces_are_normalised():
    raw = page(HEADLINE, *BODY).replace("\n", "\r\n").replace("voted 4-1", "voted\u00a04-1")
    result = read_text(raw)
    assert "\r" not in result.text
    assert_body_kept(result.text)


# -- title, byline, date ---------------------------------------------------------------


def test_title_is_the_first_headline_like_line():
    result = read_text(page("Menu", "Politics", HEADLINE, "By Ana Ruiz", *BODY))
    assert result.title == HEADLINE


@pytest.mark.parametrize("line, names", [
    ("By Ana Ruiz, Tom Baker and Lee Chen", "Ana Ruiz, Tom Baker and Lee Chen"),
    ("By Ana Ruiz and Tom Baker", "Ana Ruiz and Tom Baker"),
    ("By Ana Ruiz", "Ana Ruiz"),
    ("By Brittny Mejia, Molly Hennessy-Fiske and Leila Miller",
     "Brittny Mejia, Molly Hennessy-Fiske and Leila Miller"),
])
def test_byline_names_are_found(line, names):
    result = read_text(page(HEADLINE, line, *BODY))
    assert result.byline == names


def test_a_sentence_starting_with_by_is_not_a_byline():
    result = read_text(page(HEADLINE, "By Tuesday, the board had voted.", *BODY))
    assert result.byline == ""


@pytest.mark.parametrize("line", ["February 9, 2017", "Feb. 9, 2017", "Thursday, February 9, 2017",
                                  "Published February 9, 2017 10:32 AM", "Updated: Feb 9, 2017",
                                  "2017-02-09"])
def test_dateline_is_found_as_an_iso_date(line):
    result = read_text(page(HEADLINE, "By Ana Ruiz", line, *BODY))
    assert result.published == "2017-02-09"


def test_no_dateline_means_no_date():
    result = read_text(page(HEADLINE, *BODY))
    assert result.published == ""
    assert read_text(page(HEADLINE, "February 30, 2017", *BODY)).published == ""


# -- decode ----------------------------------------------------------------------------

TEXT = ("El Cajon’s mayor said the city would “cooperate” with ICE — a café owner disagreed. "
        "Kevin de León called it a threat. ") * 5


def test_decode_utf8():
    assert decode(TEXT.encode("utf-8")) == TEXT


def test_decode_utf8_with_bom():
    assert decode(b"\xef\xbb\xbf" + TEXT.encode("utf-8")) == TEXT


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_decode_utf16_with_bom(encoding):
    data = TEXT.encode(encoding)
    if encoding != "utf-16":
        data = ("\ufeff").encode(encoding) + data
    assert decode(data).lstrip("\ufeff") == TEXT


def test_decode_cp1252():
    assert decode(TEXT.encode("cp1252")) == TEXT


def test_decode_latin1_accents():
    text = "Kevin de León and José Ramírez spoke at the señor's café in San José. " * 5
    assert decode(text.encode("cp1252")) == text


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)),
    b"%PDF-1.7\n\x00\x00\xff\xfe\x80\x81" * 10,
    b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64,
    b"SQLite format 3\x00\x10\x00\x01\x01\x00@  \x00\x00\x00\x01" + b"\x00" * 80,
], ids=["png", "pdf", "mp4", "sqlite"])
def test_decode_returns_none_for_binary(data):
    assert decode(data) is None


# -- finding files ---------------------------------------------------------------------


def test_iter_sources_names_files_relative_to_the_folder(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text("x")
    (tmp_path / "one.txt").write_text("x")
    (tmp_path / "notes").write_text("x")
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / "picture.png").write_bytes(b"\x89PNG")
    names = [s.name for s in iter_sources([tmp_path])]
    assert names == ["notes", "one.txt", "b/two.txt"]
    assert [s.name for s in iter_sources([tmp_path / "b" / "two.txt"])] == ["two.txt"]


def test_iter_sources_rejects_a_missing_path(tmp_path):
    with pytest.raises(InputError):
        list(iter_sources([tmp_path / "nowhere"]))


def test_content_hash_is_sha256_of_the_bytes():
    assert content_hash(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
