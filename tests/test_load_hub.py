"""Hugging Face datasets: folders saved by `datasets`, local dataset folders through the hub code, offline failure."""
import os
import socket
import subprocess
import sys
import time

import pytest

from harness.cli import main
from harness.errors import DataError
from harness.loaders import load, stream
from harness.loaders import hub
from harness.loaders.hub import parse_hf_spec

datasets = pytest.importorskip("datasets")

XSUM_LIKE = {"id": ["x1", "x2", "x3"],
             "document": ["The ferry sank near the port. All passengers were rescued.",
                          "A new library opened downtown. It holds a million books.",
                          "The mayor resigned on Friday. An election follows in May."],
             "summary": ["All ferry passengers were rescued.", "A big library opened.", "The mayor quit."]}


def test_parse_hf_spec():
    assert parse_hf_spec("hf:xsum") == ("xsum", None, None, None)
    assert parse_hf_spec("hf:xsum:validation") == ("xsum", None, "validation", None)
    assert parse_hf_spec("hf:abisee/cnn_dailymail:3.0.0") == ("abisee/cnn_dailymail", "3.0.0", None, None)
    assert parse_hf_spec("hf:abisee/cnn_dailymail:3.0.0:test[:10]") == ("abisee/cnn_dailymail", "3.0.0", "test", 10)
    assert parse_hf_spec("hf:samsum::train") == ("samsum", None, "train", None)
    with pytest.raises(DataError):
        parse_hf_spec("hf:a:b:c:d")


def test_saved_dataset_folder(tmp_path):
    folder = tmp_path / "news"
    datasets.Dataset.from_dict(XSUM_LIKE).save_to_disk(str(folder))
    c = load(str(folder))
    assert c.ids == ["x1", "x2", "x3"]
    assert c["x2"].source == XSUM_LIKE["document"][1] and c["x2"].reference_texts == ["A big library opened."]
    assert any("xsum preset" in n for n in c.notes)  # found by its columns
    c = load(str(folder), source_field="summary", reference_fields=["document"])
    assert c["x1"].source == "All ferry passengers were rescued."


def test_saved_dataset_dict_and_split(tmp_path, capsys):
    folder = tmp_path / "dd"
    d = datasets.Dataset.from_dict(XSUM_LIKE)
    datasets.DatasetDict({"train": d, "test": d.select([0]), "validation": d.select([1, 2])}).save_to_disk(str(folder))
    assert load(str(folder)).ids == ["x1"]  # test by default
    assert load(str(folder), split="validation").ids == ["x2", "x3"]
    assert load(f"{folder}:train").ids == ["x1", "x2", "x3"]
    assert load(f"hf:{folder}:train[:2]").ids == ["x1", "x2"]
    assert main(["inspect", "--data", str(folder), "--split", "dev"]) == 2
    assert "no split 'dev'; it has train, test, validation" in capsys.readouterr().err


def test_local_dataset_folder_goes_through_load_dataset(tmp_path, monkeypatch):
    """A folder named like a known dataset, holding Parquet data files: read by
    `datasets.load_dataset` exactly as a hub repository, with the preset's fields."""
    folder = tmp_path / "samsum"
    (folder / "data").mkdir(parents=True)
    rows = {"id": ["s1", "s2"], "dialogue": ["Ann: Lunch? Bob: Sure, at noon.", "Cy: Late. Di: Ok, wait."],
            "summary": ["Ann and Bob meet for lunch at noon.", "Cy is late and Di waits."]}
    datasets.Dataset.from_dict(rows).to_parquet(str(folder / "data" / "test-00000-of-00001.parquet"))
    calls = []
    real = datasets.load_dataset
    monkeypatch.setattr(datasets, "load_dataset", lambda *a, **k: calls.append((a, k)) or real(*a, **k))
    monkeypatch.setattr(hub, "hub_reachable", lambda *a: pytest.fail("a local folder needs no network"))
    c = load(f"hf:{folder}")
    assert c.ids == ["s1", "s2"] and c["s2"].source == "Cy: Late. Di: Ok, wait."
    assert calls and calls[0][1]["streaming"] is True and calls[0][1]["split"] == "test"
    assert any("samsum preset" in n for n in c.notes)
    assert [e.id for e in stream(f"hf:{folder}:test[:1]")] == ["s1"]


def _cli(args, env_extra, timeout=60):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    env.update(env_extra)
    t = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "harness", *args], capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=os.path.dirname(__file__))
    return proc, time.monotonic() - t


def test_offline_flag_fails_fast_with_how_to_use_a_local_copy(tmp_path):
    proc, took = _cli(["inspect", "--data", "hf:xsum"], {"HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")})
    assert proc.returncode == 2, proc.stderr
    err = proc.stderr
    assert "hf:xsum: the Hugging Face hub is unreachable (HF_HUB_OFFLINE is set)" in err
    assert "save_to_disk" in err and "--data DIR" in err and "'EdinburghNLP/xsum'" in err
    assert took < 15, took  # interpreter start and imports included; datasets alone retries ~23 s


def test_unreachable_hub_fails_fast(tmp_path):
    with socket.socket() as s:  # a local port nobody listens on: connection refused at once
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc, took = _cli(["inspect", "--data", "hf:cnn_dailymail"],
                      {"HF_ENDPOINT": f"http://127.0.0.1:{port}", "HF_HOME": str(tmp_path / "hf")})
    assert proc.returncode == 2, proc.stderr
    assert "the Hugging Face hub is unreachable (no connection to" in proc.stderr
    assert "load_dataset('abisee/cnn_dailymail', '3.0.0', split='test').save_to_disk('DIR')" in proc.stderr
    assert took < 15, took


def test_hanging_name_lookup_is_cut_short(monkeypatch):
    """A resolver that never answers must not hang the load: the probe gives up after PROBE_TIMEOUT."""
    def never_answers(*a, **k):
        time.sleep(30)
        raise socket.gaierror("timed out")

    monkeypatch.setattr(socket, "getaddrinfo", never_answers)
    monkeypatch.setattr(hub, "hub_offline_flag", lambda: False)
    monkeypatch.setattr(hub, "_load_cached", lambda *a: (_ for _ in ()).throw(ConnectionError("not cached")))
    t = time.monotonic()
    with pytest.raises(DataError, match=r"hf:xsum: the Hugging Face hub is unreachable \(no connection to .* within 3 s\)"):
        load("hf:xsum")
    assert time.monotonic() - t < hub.PROBE_TIMEOUT + 2
