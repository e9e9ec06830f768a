"""Golden sentence-splitting cases for the default splitter (nupunkt) and pysbd.

Each case gives what a careful reader would split. Where a splitter gets a
case wrong the case is listed in that splitter's KNOWN_MISSES with what it
does instead, and runs as a strict xfail: the miss is recorded, never
asserted as right, and the test fails the day the splitter starts to get it
right (so the record is updated).
"""
import pytest

from harness.sentences import split_sentences, turns

CASES = [
    ('abbr-us', 'The U.S. economy grew last year. Exports rose.',
     ['The U.S. economy grew last year.', 'Exports rose.']),
    ('abbr-us-end', 'He moved to the U.S. She stayed in Paris.',
     ['He moved to the U.S.', 'She stayed in Paris.']),
    ('abbr-mr', 'Mr. Smith arrived late. He apologised.',
     ['Mr. Smith arrived late.', 'He apologised.']),
    ('abbr-mrs-dr', 'Mrs. Jones met Dr. Brown at noon. They talked.',
     ['Mrs. Jones met Dr. Brown at noon.', 'They talked.']),
    ('abbr-eg', 'Bring fruit, e.g. apples or pears. Do not bring nuts.',
     ['Bring fruit, e.g. apples or pears.', 'Do not bring nuts.']),
    ('abbr-ie', 'Use the short form, i.e. the abstract. Then stop.',
     ['Use the short form, i.e. the abstract.', 'Then stop.']),
    ('abbr-etc', 'We sold pens, paper, etc. to schools. Sales doubled.',
     ['We sold pens, paper, etc. to schools.', 'Sales doubled.']),
    ('abbr-vs', 'It was Spain vs. Italy in the final. Spain won.',
     ['It was Spain vs. Italy in the final.', 'Spain won.']),
    ('abbr-st', 'They live on Baker St. near the park. It is quiet.',
     ['They live on Baker St. near the park.', 'It is quiet.']),
    ('abbr-inc', 'Apple Inc. reported earnings on Tuesday. Shares rose.',
     ['Apple Inc. reported earnings on Tuesday.', 'Shares rose.']),
    ('abbr-jr', 'Martin Luther King Jr. spoke first. The crowd cheered.',
     ['Martin Luther King Jr. spoke first.', 'The crowd cheered.']),
    ('abbr-gen', 'Gen. Miller returned on Tuesday. The staff took notes.',
     ['Gen. Miller returned on Tuesday.', 'The staff took notes.']),
    ('abbr-prof', 'Prof. Lee gave the lecture. Students took notes.',
     ['Prof. Lee gave the lecture.', 'Students took notes.']),
    ('abbr-no', 'See item No. 5 on the list. It is urgent.',
     ['See item No. 5 on the list.', 'It is urgent.']),
    ('abbr-months', 'The law took effect on Jan. 1 last year. Few noticed.',
     ['The law took effect on Jan. 1 last year.', 'Few noticed.']),
    ('time-pm', 'The meeting starts at 3 p.m. on Monday. Be on time.',
     ['The meeting starts at 3 p.m. on Monday.', 'Be on time.']),
    ('time-pm-end', 'The meeting ended at 5 p.m. Everyone went home.',
     ['The meeting ended at 5 p.m.', 'Everyone went home.']),
    ('decimal', 'Inflation rose 2.5 percent in May. Rates held.',
     ['Inflation rose 2.5 percent in May.', 'Rates held.']),
    ('money', 'The ticket costs $4.50 today. It was cheaper before.',
     ['The ticket costs $4.50 today.', 'It was cheaper before.']),
    ('version', 'Install version 3.11.2 first. Then run the tests.',
     ['Install version 3.11.2 first.', 'Then run the tests.']),
    ('initials', 'J. R. R. Tolkien wrote the book. It sold well.',
     ['J. R. R. Tolkien wrote the book.', 'It sold well.']),
    ('initial-mid', 'George W. Bush spoke in Texas. He left early.',
     ['George W. Bush spoke in Texas.', 'He left early.']),
    ('quote-inside', 'He said, "We will win." Then he left.',
     ['He said, "We will win."', 'Then he left.']),
    ('quote-question', '"Are you coming?" she asked. He nodded.',
     ['"Are you coming?" she asked.', 'He nodded.']),
    ('quote-curly', 'She wrote: “It is over.” Nobody answered.',
     ['She wrote: “It is over.”', 'Nobody answered.']),
    ('quote-single', "'I was watching the match,' the critic said. The player replied.",
     ["'I was watching the match,' the critic said.", 'The player replied.']),
    ('ellipsis-mid', 'I thought... maybe not. We will see.',
     ['I thought... maybe not.', 'We will see.']),
    ('ellipsis-end', 'He paused and waited... The door opened.',
     ['He paused and waited...', 'The door opened.']),
    ('ellipsis-unicode', 'And then… silence. Nobody spoke.',
     ['And then… silence.', 'Nobody spoke.']),
    ('question', 'Why did it fail? Nobody knows. We will find out!',
     ['Why did it fail?', 'Nobody knows.', 'We will find out!']),
    ('exclaim-quote', 'He shouted "Stop!" and ran. The car stopped.',
     ['He shouted "Stop!" and ran.', 'The car stopped.']),
    ('paren', 'The vote passed (barely). The debate went on.',
     ['The vote passed (barely).', 'The debate went on.']),
    ('paren-inner', 'The vote passed (it was close. very close) on Friday. Then recess.',
     ['The vote passed (it was close. very close) on Friday.', 'Then recess.']),
    ('lowercase-next', 'The sentence ends here. and a lowercase one follows.',
     ['The sentence ends here.', 'and a lowercase one follows.']),
    ('number-start', 'Sales fell. 2019 was worse.',
     ['Sales fell.', '2019 was worse.']),
    ('url', 'Visit example.com for details. It is free.',
     ['Visit example.com for details.', 'It is free.']),
    ('email', 'Write to jane.doe@example.org today. She replies fast.',
     ['Write to jane.doe@example.org today.', 'She replies fast.']),
    ('ordinal-list', 'There are two steps. 1. Mix the flour. 2. Bake it.',
     ['There are two steps.', '1. Mix the flour.', '2. Bake it.']),
    ('ph-d', 'She has a Ph.D. in physics. She teaches.',
     ['She has a Ph.D. in physics.', 'She teaches.']),
    ('us-mid-name', 'U.S. President Joe Biden spoke. Reporters asked questions.',
     ['U.S. President Joe Biden spoke.', 'Reporters asked questions.']),
    ('uk', 'The U.K. government resigned. Elections followed.',
     ['The U.K. government resigned.', 'Elections followed.']),
    ('approx', 'The trip takes approx. two hours. Bring water.',
     ['The trip takes approx. two hours.', 'Bring water.']),
    ('fig', 'As shown in Fig. 3 the curve flattens. This matters.',
     ['As shown in Fig. 3 the curve flattens.', 'This matters.']),
    ('mr-end', 'I spoke to the mayor and Mr. Lavrov. He agreed.',
     ['I spoke to the mayor and Mr. Lavrov.', 'He agreed.']),
    ('tokenized-news', "The striker has reopened his feud with the coach . 'did you miss the bus ? ' he wrote on Twitter .",
     ['The striker has reopened his feud with the coach .', "'did you miss the bus ? '", 'he wrote on Twitter .']),
    ('no-space', 'It ended.Then it began again.',
     ['It ended.', 'Then it began again.']),
    ('multiple-punct', 'Really?! I had no idea. Wow.',
     ['Really?!', 'I had no idea.', 'Wow.']),
    ('single', 'Just one sentence without a final period',
     ['Just one sentence without a final period']),
    ('nested-abbr', 'The U.S. Dept. of State issued a note. It was brief.',
     ['The U.S. Dept. of State issued a note.', 'It was brief.']),
    ('am', 'We left at 6 a.m. and arrived at noon. It rained.',
     ['We left at 6 a.m. and arrived at noon.', 'It rained.']),
    ('abbr-sen', 'Sen. Warren and Rep. Ocasio-Cortez spoke. Both were brief.',
     ['Sen. Warren and Rep. Ocasio-Cortez spoke.', 'Both were brief.']),
    ('abbr-co-ltd', 'Smith & Co. Ltd. was fined. It appealed.',
     ['Smith & Co. Ltd. was fined.', 'It appealed.']),
    ('initial-end-name', 'The report was by John F. Kennedy. He was young.',
     ['The report was by John F. Kennedy.', 'He was young.']),
    ('percent-sign', 'Turnout was 61.4% this year. It was 58% before.',
     ['Turnout was 61.4% this year.', 'It was 58% before.']),
    ('lowercase-tokenized', 'the u.s. economy grew 2.5 percent . exports rose .',
     ['the u.s. economy grew 2.5 percent .', 'exports rose .']),
    ('quote-backticks', "`` we are tired , '' said the mayor . the rain continues .",
     ["`` we are tired , '' said the mayor .", 'the rain continues .']),]

# What each splitter does instead, on the cases it gets wrong.
KNOWN_MISSES = {
    "nupunkt": {
        # "p.m." ending a sentence: nupunkt keeps the abbreviation and joins the next sentence (pysbd splits).
        "time-pm-end": ["The meeting ended at 5 p.m. Everyone went home."],
        # A period inside parentheses ends nupunkt's sentence (pysbd keeps the bracket whole).
        "paren-inner": ["The vote passed (it was close.", "very close) on Friday.", "Then recess."],
        # List numbers "1." are taken as sentences (pysbd keeps "1. Mix the flour.").
        "ordinal-list": ["There are two steps.", "1.", "Mix the flour.", "2. Bake it."],
        # No space after the period: not a boundary for either splitter.
        "no-space": ["It ended.Then it began again."],
    },
    "pysbd": {
        # "approx." is not in pysbd's abbreviation list.
        "approx": ["The trip takes approx.", "two hours.", "Bring water."],
        # "Co." followed by a capitalised "Ltd." is taken as a sentence end.
        "abbr-co-ltd": ["Smith & Co.", "Ltd. was fined.", "It appealed."],
        # A closing quote after " ? " in tokenized news text is not a boundary for pysbd (nupunkt splits).
        "tokenized-news": ["The striker has reopened his feud with the coach .",
                           "'did you miss the bus ? ' he wrote on Twitter ."],
        "no-space": ["It ended.Then it began again."],
    },
}


def _params(splitter):
    for name, text, expected in CASES:
        miss = KNOWN_MISSES[splitter].get(name)
        marks = [pytest.mark.xfail(strict=True, reason=f"{splitter} gives {miss}")] if miss else []
        yield pytest.param(text, expected, id=name, marks=marks)


def test_there_are_at_least_40_cases_with_unique_names():
    names = [c[0] for c in CASES]
    assert len(CASES) >= 40 and len(set(names)) == len(names)


@pytest.mark.parametrize("text,expected", list(_params("nupunkt")))
def test_default_splitter_golden(text, expected):
    assert split_sentences(text) == expected


@pytest.mark.parametrize("text,expected", list(_params("pysbd")))
def test_pysbd_golden(text, expected):
    assert split_sentences(text, "pysbd") == expected


@pytest.mark.parametrize("splitter", ["nupunkt", "pysbd"])
def test_known_misses_are_what_the_splitter_does(splitter):
    """The record of misses is the splitter's real output, not a guess."""
    by_name = {name: text for name, text, _ in CASES}
    for name, miss in KNOWN_MISSES[splitter].items():
        assert split_sentences(by_name[name], splitter) == miss, name


def test_line_and_paragraph_breaks_are_boundaries():
    text = "A headline without a period\nThe story starts here. It goes on.\n\nA new paragraph."
    assert split_sentences(text) == ["A headline without a period", "The story starts here.", "It goes on.",
                                     "A new paragraph."]
    assert split_sentences(text, "newline") == ["A headline without a period", "The story starts here. It goes on.",
                                                "A new paragraph."]


def test_empty_and_blank_text():
    assert split_sentences("") == [] and split_sentences("  \n\n \t") == []


# Speaker turns (dialogue and transcripts)

def test_dialogsum_turns_split_first_and_keep_their_label():
    text = "#Person1#: Hello, how are you? I hope well.\n#Person2#: Fine. Thanks, Dr. Lee."
    assert split_sentences(text) == ["#Person1#: Hello, how are you?", "I hope well.", "#Person2#: Fine.",
                                     "Thanks, Dr. Lee."]


def test_inline_person_markers_start_turns():
    text = "#Person1#: Are you ready? #Person2#: Yes. Let us go. #Person1#: OK."
    assert split_sentences(text) == ["#Person1#: Are you ready?", "#Person2#: Yes.", "Let us go.", "#Person1#: OK."]


def test_named_speaker_labels_are_not_split_by_the_splitter():
    # Without turn handling the splitter would see the label "Dr. Smith:" as text.
    text = "Dr. Smith: I agree with the U.S. plan. It is late.\nAmanda: ok :)\nSergey Lavrov: Thank you."
    assert split_sentences(text) == ["Dr. Smith: I agree with the U.S. plan.", "It is late.", "Amanda: ok :)",
                                     "Sergey Lavrov: Thank you."]


def test_turns_of_a_line():
    assert turns("Amanda: Hi. Bye.") == [("Amanda: ", "Hi. Bye.")]
    assert turns("plain prose: with a colon") == [("", "plain prose: with a colon")]
    assert turns("#Person1#: a #Person2#: b") == [("#Person1#: ", "a"), ("#Person2#: ", "b")]


def test_a_label_alone_is_kept():
    assert split_sentences("Tom: \nAnna: Hi.") == ["Tom:", "Anna: Hi."]


@pytest.mark.parametrize("splitter", ["nupunkt", "pysbd", "newline"])
def test_sentences_are_verbatim_pieces_of_the_source(splitter):
    texts = [t for _, t, _ in CASES] + ["#Person1#: Hi there. How are you?\n#Person2#: Fine."]
    for text in texts:
        for s in split_sentences(text, splitter):
            assert s in text, (splitter, s)


def test_unknown_splitter_is_an_error():
    with pytest.raises(ValueError, match="unknown sentence splitter"):
        split_sentences("x", "spacy")
