"""The bundled interview page: exactly six answers, nothing else."""
import re

import pytest

from harness.errors import DataError
from harness.loaders import DEFAULT_CORPUS
from harness.loaders.transcript import parse_transcript

# (first words, last words) of each of the six answers on the page.
ANSWERS = [
    ("We have grown used to", "when or where this meeting may be held."),
    ("We are confident that the scrapping", "their responsibility for peace and security."),
    ("I believe that everyone in the world", "Such issues would then just fade away."),
    ("I will refrain from commenting", "restoration of diverse ties and contacts."),
    ("Indeed, positive nascent trends", "other regional and international organisations."),
    ("Relations with each of these parties", "decision to pull out of Syria comes to."),
]

BOILERPLATE = ["$", "2,500", "Support SouthFront", "Notify of", "Newest Most Voted", "Inline Feedbacks",
               "View all comments", "Tiffani Drew", "Lavrov is all talk", "over populated", "Immolate",
               "Muslim", "Trump will do it for you", "Would love your thoughts", "comment.x", "(source)"]


def test_six_answers_with_exact_boundaries(interview):
    assert len(interview) == 6
    for ex, (first, last) in zip(interview, ANSWERS):
        assert ex.source.startswith(first), ex.id
        assert ex.source.endswith(last), ex.id
        assert ex.speaker == "Sergey Lavrov"
        assert ex.question and ex.question.endswith("?")


def test_ids_are_stable(interview):
    assert interview.ids == [f"lavrov-2018-12-24:q{i}" for i in range(1, 7)]


def test_multi_paragraph_answers_keep_every_paragraph(interview):
    assert [len(ex.paragraphs) for ex in interview] == [6, 4, 5, 3, 5, 5]
    for ex in interview:
        assert ex.source == "\n\n".join(ex.paragraphs)
        assert len(ex.sentences) >= len(ex.paragraphs)


def test_no_boilerplate_or_comment_text_anywhere(interview):
    for ex in interview:
        blob = "\n".join([ex.source, ex.question or "", ex.speaker or "", *ex.sentences])
        for bad in BOILERPLATE:
            assert bad not in blob, (ex.id, bad)


def test_sentences_cover_the_answer(interview):
    for ex in interview:
        assert re.sub(r"\s+", "", "".join(ex.sentences)) == re.sub(r"\s+", "", ex.source)


def test_page_without_pairs_is_a_clear_error():
    with pytest.raises(DataError, match=r"page\.txt: no question/answer pair found"):
        parse_transcript("Support Us\n\n0 $\n\nJust an article. No interview here.\n", "page", origin="page.txt")


def test_cli_error_for_page_without_pairs(tmp_path, capsys):
    from harness.cli import main

    page = tmp_path / "empty.txt"
    page.write_text("A headline\n\nSome prose that is not an interview.\n")
    assert main(["run", "--data", str(page), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert str(page) in err and "no question/answer pair" in err


def test_bundled_page_is_the_seed_byte_for_byte():
    from conftest import SHARED

    seed = SHARED / "seeds" / "000_798628f3e9381ed6.txt"
    if not seed.exists():
        pytest.skip("needs ../shared/seeds")
    assert DEFAULT_CORPUS.read_bytes() == seed.read_bytes()
