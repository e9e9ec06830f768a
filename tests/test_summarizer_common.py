"""What every built-in summarizer must do, whatever its method (parametrized over all of them)."""
import pickle

import pytest

from harness.data import Example, Reference
from harness.summarizers import Budget, builtins, build

ALL = sorted(builtins())

NEWS = (
    "The city council approved the new budget on Monday after a long debate. "
    "The budget raises spending on schools and roads by ten percent. "
    "Critics said the council ignored the rising cost of housing. "
    "The mayor defended the plan and promised new housing next year. "
    "Teachers welcomed the extra money for schools. "
    "Road repairs will start in the spring, officials said. "
    "The vote was seven to two. "
    "Housing advocates plan a protest outside city hall on Friday."
)
REFS = [Reference("The council approved a budget raising school and road spending; critics cite housing costs."),
        Reference("A new city budget adds ten percent for schools and roads.")]
QUESTION = "What did the council decide about the budget and housing?"


def ex(source: str, id: str = "x") -> Example:
    return Example(id=id, source=source, references=list(REFS), question=QUESTION)


def is_subsequence(summary, sentences):
    it = iter(sentences)
    return all(any(s == t for t in it) for s in summary)


@pytest.mark.parametrize("name", ALL)
def test_output_is_source_sentences_in_source_order(name):
    e = ex(NEWS)
    out = build(name)(e)
    assert 1 <= len(out) <= 3
    assert is_subsequence(out, e.sentences)


@pytest.mark.parametrize("name", ALL)
def test_deterministic_across_instances_and_pickling(name):
    a = build(name)(ex(NEWS))
    b = build(name)(ex(NEWS))
    c = pickle.loads(pickle.dumps(build(name)))(ex(NEWS))
    assert a == b == c


@pytest.mark.parametrize("name", ALL)
def test_empty_source(name):
    assert build(name)(ex("")) == []


@pytest.mark.parametrize("name", ALL)
def test_one_sentence_source(name):
    e = ex("The council approved the budget on Monday.")
    assert build(name)(e) == ["The council approved the budget on Monday."]


@pytest.mark.parametrize("name", ALL)
def test_budget_larger_than_source(name):
    e = ex("The council approved the budget. Schools get more money. Critics cite housing.")
    out = build(f"{name}:k=10")(e)
    assert is_subsequence(out, e.sentences) and out
    if name != "oracle":  # the oracle stops when nothing raises ROUGE
        assert out == list(e.sentences)


@pytest.mark.parametrize("name", ALL)
def test_duplicate_sentences(name):
    e = ex("The budget passed. The budget passed. Schools get more money for teachers. The budget passed.")
    out = build(f"{name}:k=2")(e)
    assert 1 <= len(out) <= 2 and is_subsequence(out, e.sentences)
    assert build(f"{name}:k=2")(e) == out
    # all-duplicate source: any budget works and returns copies of that sentence
    same = ex("Same sentence here. Same sentence here. Same sentence here.")
    out = build(f"{name}:k=2")(same)
    if name == "oracle":  # shares no word with the references: nothing raises ROUGE above 0
        assert out == []
    else:
        assert 1 <= len(out) <= 2 and set(out) == {"Same sentence here."}


@pytest.mark.parametrize("name", ALL)
def test_sentences_without_words(name):
    e = ex("The budget passed on Monday. ... — !!! Schools get more money.")
    out = build(f"{name}:k=3")(e)
    assert is_subsequence(out, e.sentences) and out


@pytest.mark.parametrize("name", ALL)
def test_word_budget(name):
    e = ex(NEWS)
    out = build(f"{name}:words=25")(e)
    words = [len(s.split()) for s in out]
    assert out and (sum(words) <= 25 or len(out) == 1)


@pytest.mark.parametrize("name", ALL)
def test_ratio_budget(name):
    e = ex(NEWS)
    assert len(e.sentences) == 8
    out = build(f"{name}:ratio=0.25")(e)
    assert 1 <= len(out) <= 2


@pytest.mark.parametrize("name", ALL)
def test_zero_budget_gives_empty_summary(name):
    assert build(f"{name}:k=0")(ex(NEWS)) == []


def test_every_builtin_has_a_description_and_module_docstring_citing_its_source():
    import inspect

    for name, cls in builtins().items():
        assert cls.description, name
        doc = inspect.getmodule(cls).__doc__
        assert doc and len(doc) > 40, name
    cited = {"textrank": "Mihalcea", "lexrank": "Erkan", "centroid": "Radev", "sumbasic": "Nenkova",
             "klsum": "Haghighi", "lsa": "Steinberger", "luhn": "Luhn", "mmr": "Carbonell",
             "qlexrank": "Otterbacher", "oracle": "Nallapati"}
    for name, author in cited.items():
        assert author in inspect.getmodule(builtins()[name]).__doc__, name


def test_only_the_oracle_reads_references():
    assert [n for n, c in builtins().items() if c.uses_references] == ["oracle"]


def test_budget_rules():
    assert Budget().k == 3
    assert Budget(ratio=0.5).max_sentences(7) == 4
    assert Budget(words=5).take([2, 0, 1], ["a b c", "d e", "f g h i j k"]) == [2]  # first always taken
    assert Budget(words=5).take([0, 2, 1], ["a b c", "d e", "f g h i j k"]) == [0, 1]
    with pytest.raises(ValueError):
        Budget(k=1, words=2)
