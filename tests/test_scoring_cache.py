"""The persistent score cache: reruns score only what changed, damage is detected, processes can share it."""
import multiprocessing as mp
import sqlite3
from array import array
from dataclasses import replace

import pytest

import harness
from harness.cli import main
from harness.data import Example, Reference
from harness.run_folder import score_row
from harness.scoring import ScoreCache, ScoreConfig, Scorer
from harness.scoring.cache import CacheWarning
from harness.scoring.synthetic import TextMaker


def corpus(n=40, seed=3):
    maker = TextMaker(seed=seed)
    examples, summaries = [], {"a": {}, "b": {}}
    for i in range(n):
        source = maker.sentences(200)
        refs = [" ".join(maker.rewrite(source, 40)) for _ in range(2)]
        examples.append(Example(id=f"x{i}", source=" ".join(source), references=[Reference(r) for r in refs]))
        summaries["a"][f"x{i}"] = source[:2]
        summaries["b"][f"x{i}"] = maker.rewrite(source, 30)
    return examples, summaries


class Counting(Scorer):
    """A Scorer that counts the (example, system) summaries it actually computes."""

    computed = 0

    def _score_unit(self, unit):
        Counting.computed += len(unit[2])
        return super()._score_unit(unit)


def rows(scorer, examples, summaries, store=None):
    """scores.jsonl rows of one batch, as the runner scores it."""
    units = [(ex, {s: by_id[ex.id] for s, by_id in summaries.items()}) for ex in examples]
    return [score_row(ex.id, s, t, v.precision, v.recall, v.fmeasure)
            for ex, scored in zip(examples, scorer.score_batch(units, store=store))
            for s, by_type in scored.items() for t, v in by_type.items()]


def uncached(config, examples, summaries):
    return rows(Scorer(replace(config, cache=False)), examples, summaries)


def run(scorer, examples, summaries, cache):
    """`cache`: a ScoreCache, or False for none."""
    Counting.computed = 0
    if cache is False:
        scorer = type(scorer)(replace(scorer.config, cache=False))
    return rows(scorer, examples, summaries, None if cache is False else cache)


@pytest.fixture
def cache(tmp_path):
    return ScoreCache(tmp_path / "scores.sqlite")


def test_rerun_scores_only_what_changed(cache):
    examples, summaries = corpus()
    scorer = Counting(ScoreConfig(lsum_split="newline"))
    first = run(scorer, examples, summaries, cache)
    assert Counting.computed == 80 and len(cache) == 80
    again = run(Counting(ScoreConfig(lsum_split="newline")), examples, summaries, cache)
    assert Counting.computed == 0 and again == first
    # edit one system's summaries on 5 examples: only those are rescored
    edited = {"a": summaries["a"], "b": dict(summaries["b"])}
    for i in range(5):
        edited["b"][f"x{i}"] = edited["b"][f"x{i}"][::-1] + ["An extra sentence."]
    third = run(Counting(ScoreConfig(lsum_split="newline")), examples, edited, cache)
    assert Counting.computed == 5
    fresh = uncached(ScoreConfig(lsum_split="newline"), examples, edited)
    assert third == fresh and third != first
    # a changed reference or source changes the key too
    examples[7].references[0] = Reference(examples[7].references[0].text + " More.")
    run(Counting(ScoreConfig(lsum_split="newline")), examples, edited, cache)
    assert Counting.computed == 2


def test_number_changing_options_do_not_share_entries(cache):
    examples, summaries = corpus(10)
    for ex in examples:  # inflections, so that stemming changes the numbers
        ex.references[0] = Reference(ex.references[0].text + " The runners were running and jumping.")
        summaries["b"][ex.id] = summaries["b"][ex.id] + ["A runner runs and jumps."]
    stem = run(Counting(ScoreConfig()), examples, summaries, cache)
    nostem = run(Counting(ScoreConfig(use_stemmer=False)), examples, summaries, cache)
    assert Counting.computed == 20
    assert nostem == uncached(ScoreConfig(use_stemmer=False), examples, summaries)
    assert stem != nostem
    # resampling options change only statistics, not the per-example scores: no rescoring
    run(Counting(ScoreConfig(bootstrap=10, seed=1, baseline_system="b")), examples, summaries, cache)
    assert Counting.computed == 0


def test_unreadable_file_is_moved_aside_and_rebuilt(cache):
    examples, summaries = corpus(10)
    want = run(Counting(ScoreConfig()), examples, summaries, False)
    cache.path.parent.mkdir(parents=True, exist_ok=True)
    cache.path.write_bytes(b"this is not a database" * 100)
    with pytest.warns(CacheWarning, match="unreadable"):
        got = run(Counting(ScoreConfig()), examples, summaries, cache)
    assert got == want and Counting.computed == 20
    assert len(cache) == 20 and cache.path.with_name("scores.sqlite.corrupt").exists()
    run(Counting(ScoreConfig()), examples, summaries, cache)
    assert Counting.computed == 0  # and the new file works


def test_damaged_entry_is_never_trusted(cache):
    examples, summaries = corpus(10)
    want = run(Counting(ScoreConfig()), examples, summaries, cache)
    with sqlite3.connect(cache.path) as db:  # flip a score without fixing its checksum
        key, value = db.execute("SELECT key, value FROM scores LIMIT 1").fetchone()
        bad = array("d", value)  # P, R, F per type in the signature's order, as packed doubles
        bad[2] = 0.999  # rouge1's F
        db.execute("UPDATE scores SET value = ? WHERE key = ?", (bad.tobytes(), key))
    with pytest.warns(CacheWarning, match="checksum"):
        got = run(Counting(ScoreConfig()), examples, summaries, cache)
    assert got == want and Counting.computed == 20 and cache.rebuilt == 1


def test_truncated_file_is_detected(cache):
    examples, summaries = corpus(30)
    want = run(Counting(ScoreConfig()), examples, summaries, cache)
    data = cache.path.read_bytes()
    for suffix in ("-wal", "-shm"):
        cache.path.with_name(cache.path.name + suffix).unlink(missing_ok=True)
    cache.path.write_bytes(data[: len(data) // 2])
    with pytest.warns(CacheWarning):
        got = run(Counting(ScoreConfig()), examples, summaries, cache)
    assert got == want


def test_cache_written_by_other_code_is_stale(cache):
    examples, summaries = corpus(10)
    want = run(Counting(ScoreConfig()), examples, summaries, cache)
    with sqlite3.connect(cache.path) as db:
        db.execute("UPDATE meta SET value = 'older scoring code' WHERE name = 'fingerprint'")
    got = run(Counting(ScoreConfig()), examples, summaries, cache)
    assert got == want and Counting.computed == 20 and cache.rebuilt == 1


def _worker(path, seed, out):
    examples, summaries = corpus(25, seed=seed % 2)  # two distinct corpora, shared by pairs of workers
    out.put((seed, rows(Scorer(ScoreConfig(lsum_split="newline")), examples, summaries, ScoreCache(path))))


@pytest.mark.slow
def test_several_processes_share_one_cache(tmp_path):
    path = tmp_path / "shared.sqlite"
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(path, s, out)) for s in range(4)]
    for p in procs:
        p.start()
    results = dict(out.get(timeout=240) for _ in procs)
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    for seed, got in results.items():
        examples, summaries = corpus(25, seed=seed % 2)
        assert got == uncached(ScoreConfig(lsum_split="newline"), examples, summaries)
    assert len(ScoreCache(path)) == 100


@pytest.mark.slow
def test_cli_runs_are_byte_identical_with_and_without_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(tmp_path / "cache"))
    outs = []
    for name, extra in (("cold", []), ("warm", []), ("nocache", ["--no-cache"]), ("reference", ["--engine", "rouge-score",
                                                                                                  "--no-cache"])):
        assert main(["run", "--out", str(tmp_path / name), *extra]) == 0
        outs.append((tmp_path / name / "scores.jsonl").read_bytes())
    assert outs[0] == outs[1] == outs[2]  # equal signatures: identical bytes
    assert outs[3] == outs[0]  # the reference engine: other signature, same numbers
    assert (tmp_path / "cache" / "scores.sqlite").exists()


def test_no_cache_writes_nothing(tmp_path, monkeypatch, interview):
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["run", "--no-cache", "--out", str(tmp_path / "run")]) == 0
    assert not (tmp_path / "cache").exists()
    harness.score(interview, harness.summarize(interview, ["lead"]), cache=False)
    assert not (tmp_path / "cache").exists()


def test_unusable_cache_location_degrades_to_no_cache(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    examples, summaries = corpus(5)
    with pytest.warns(CacheWarning, match="cannot be used"):
        got = run(Counting(ScoreConfig()), examples, summaries, ScoreCache(blocker / "scores.sqlite"))
    assert got == run(Counting(ScoreConfig()), examples, summaries, False)
