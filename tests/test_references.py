"""The gold references of the bundled corpus."""
import json
from collections import defaultdict

from harness.loaders.references import REFERENCES_DIR
from harness.sentences import split_sentences

REF_FILE = REFERENCES_DIR / "lavrov-2018-12-24.references.jsonl"


def _rows():
    return [json.loads(l) for l in REF_FILE.read_text(encoding="utf-8").splitlines() if l.strip()]


def test_every_answer_has_three_independent_references(interview):
    by_id = defaultdict(list)
    for r in _rows():
        by_id[r["id"]].append(r)
    assert set(by_id) == set(interview.ids)
    for ex in interview:
        refs = by_id[ex.id]
        assert len(refs) >= 3
        assert len({r["annotator"] for r in refs}) >= 3
        assert len(ex.references) == len(refs)


def test_reference_lengths_follow_the_guidelines():
    for r in _rows():
        n_words, n_sents = len(r["summary"].split()), len(split_sentences(r["summary"]))
        if r["kind"] == "gist":
            assert n_words <= 30 and n_sents == 1, r
        elif r["kind"] == "abstract":
            assert 40 <= n_words <= 80 and 2 <= n_sents <= 3, r
        else:
            assert 20 <= n_words <= 80, r


def test_references_are_abstractive(interview):
    """No reference sentence is copied from its answer."""
    for r in _rows():
        source = " ".join(interview[r["id"]].source.lower().split())
        for sent in split_sentences(r["summary"]):
            assert " ".join(sent.lower().split()).rstrip(".") not in source, (r["id"], sent)
