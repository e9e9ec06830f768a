"""The CNN/DailyMail check: Lead-3 where published, the oracle above every method (skips without ../shared)."""
import importlib.util

import pytest
from conftest import ROOT, shared_path


def _bench():
    spec = importlib.util.spec_from_file_location("bench_summarizers", ROOT / "benchmarks" / "summarizers.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def table():
    shared_path("summeval", "summeval100.jsonl")
    shared_path("realsumm", "realsumm100.jsonl")
    return _bench().cnndm_table(rouge_types=("rouge1", "rouge2"))


def test_lead3_rouge1_in_the_published_range(table):
    # Lead-3 on the full CNN/DM test set is published at ROUGE-1 F 0.40-0.41.
    for dataset in ("summeval", "realsumm"):
        assert 0.39 <= table[dataset]["lead"]["rouge1"] <= 0.43, (dataset, table[dataset]["lead"])


def test_oracle_is_above_every_method_on_every_type(table):
    assert _bench().check_table(table) == []
    for dataset, rows in table.items():
        assert rows["_n"] == 100
        others = [s for s in rows if s not in ("oracle", "_n")]
        assert len(others) == 11
        for t in ("rouge1", "rouge2"):
            assert rows["oracle"][t] > max(rows[s][t] for s in others), (dataset, t)


def test_check_table_reports_failures():
    bad = {"x": {"lead": {"rouge1": 0.2}, "oracle": {"rouge1": 0.1}, "_n": 1}}
    failures = _bench().check_table(bad)
    assert any("outside [0.39, 0.43]" in f for f in failures) and any("not above lead" in f for f in failures)
