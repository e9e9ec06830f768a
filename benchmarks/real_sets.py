"""Load the real evaluation sets, score their systems' outputs as --predictions, check against rouge-score.

    .venv/bin/python benchmarks/real_sets.py            # all sets, all systems
    .venv/bin/python benchmarks/real_sets.py --quick    # at most 3 systems per set

For each set in ../shared/data (dialogsum test: 3 references; summeval: 11;
realsumm: 1, 25 systems; qmsum spans: the query as question, HMNet outputs
for 237 of 481 spans, so --allow-missing), the systems' outputs are written
to temporary prediction files (JSONL, and for realsumm also the plain-text
format with <n> between sentences) and scored with `harness score`, run in
this process. Every (example, system, ROUGE type) score is then compared,
float for float, with rouge-score's `RougeScorer.score_multi` computed
directly on the same texts (split into sentences the way the configuration
says, for rougeLsum). Prints one line per set: rows compared, mismatches,
and the time of `harness score` against the direct loop.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from rouge_score import rouge_scorer

from harness.cli import main as harness_main
from harness.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("HARNESS_SHARED", ROOT.parent / "shared")) / "data"
TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"]


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def system_outputs(rows: list[dict]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for r in rows:
        for system, text in (r.get("system_outputs") or {}).items():
            out.setdefault(system, {})[r["id"]] = text
    return out


def qmsum_outputs(rows: list[dict]) -> dict[str, dict[str, str]]:
    ids = {r["id"] for r in rows}
    preds = {}
    for h in read_jsonl(SHARED / "qmsum" / "hmnet_test_outputs.jsonl"):
        if h.get("matched_query_id") in ids:  # the others answer whole-meeting queries, not spans
            preds[h["matched_query_id"]] = h["prediction"]
    return {"hmnet": preds}


SETS = [
    dict(name="dialogsum", data="dialogsum/test.jsonl", refs=3, outputs=system_outputs, args=[]),
    dict(name="summeval", data="summeval/summeval100.jsonl", refs=11, outputs=system_outputs, args=[]),
    dict(name="realsumm", data="realsumm/realsumm100.jsonl", refs=1, outputs=system_outputs, args=[], text=True),
    dict(name="qmsum-spans", data="qmsum/spans.jsonl", refs=1, outputs=qmsum_outputs,
         args=["--question-field", "query", "--allow-missing"]),
]


def safe(name: str) -> str:
    return name.replace("/", "_")


def run_set(spec: dict, tmp: Path, max_systems: int | None, lsum_split: str) -> dict:
    data = SHARED / spec["data"]
    rows = read_jsonl(data)
    by_id = {r["id"]: r for r in rows}
    outputs = spec["outputs"](rows)
    systems = sorted(outputs)[:max_systems] if max_systems else sorted(outputs)
    argv = ["score", "--data", str(data), *spec["args"], "--lsum-split", lsum_split,
            "--out", str(tmp / f"{spec['name']}-{lsum_split}")]
    for s in systems:
        p = tmp / f"{spec['name']}-{safe(s)}.jsonl"
        with open(p, "w", encoding="utf-8") as fh:
            for id_, text in outputs[s].items():
                fh.write(json.dumps({"id": id_, "summary": text}) + "\n")
        argv += ["--predictions", f"{s}={p}"]
    if spec.get("text"):  # the plain-text form of the first system: one line per example, <n> between sentences
        s = systems[0]
        p = tmp / f"{spec['name']}-{safe(s)}.txt"
        p.write_text("".join(outputs[s][r["id"]].replace("\n", "<n>") + "\n" for r in rows), encoding="utf-8")
        argv += ["--predictions", f"{s}(txt)={p}"]
    t = time.perf_counter()
    code = harness_main(argv)
    t_harness = time.perf_counter() - t
    if code != 0:
        raise SystemExit(f"harness score failed on {spec['name']} (exit {code})")
    scored = read_jsonl(tmp / f"{spec['name']}-{lsum_split}" / "scores.jsonl")

    # rouge-score directly.
    scorer = rouge_scorer.RougeScorer(TYPES, use_stemmer=True)
    prep = (lambda t: t) if lsum_split == "newline" else (lambda t: "\n".join(split_sentences(t, lsum_split)))
    t = time.perf_counter()
    want = {}
    for s in systems:
        for id_, text in outputs[s].items():
            refs = [prep(r) for r in by_id[id_]["references"]]
            want[(id_, s)] = scorer.score_multi(refs, prep(text))
    t_direct = time.perf_counter() - t
    mismatches = 0
    for r in scored:
        system = r["system"].removesuffix("(txt)")
        w = want[(r["id"], system)][r["rouge_type"]]
        if (r["precision"], r["recall"], r["fmeasure"]) != (w.precision, w.recall, w.fmeasure):
            mismatches += 1
    n_refs = {len(by_id[i]["references"]) for i in by_id}
    expected_rows = sum(len(outputs[s]) for s in systems) * len(TYPES) + (len(rows) * len(TYPES) if spec.get("text") else 0)
    return dict(name=spec["name"], examples=len(rows), refs=sorted(n_refs), systems=len(systems), rows=len(scored),
                expected=expected_rows, mismatches=mismatches, t_harness=t_harness, t_direct=t_direct)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="at most 3 systems per set")
    ap.add_argument("--lsum-split", default="nupunkt", choices=["nupunkt", "newline"])
    args = ap.parse_args()
    if not SHARED.is_dir():
        print(f"needs {SHARED} (the team's shared data)", file=sys.stderr)
        return 1
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for spec in SETS:
            results.append(run_set(spec, Path(tmp), 3 if args.quick else None, args.lsum_split))
    print(f"\nlsum split: {args.lsum_split}")
    print(f"{'set':<12} {'examples':>8} {'refs/ex':>8} {'systems':>8} {'rows':>7} {'mismatch':>9} "
          f"{'harness s':>10} {'direct s':>9} {'ratio':>6}")
    for r in results:
        refs = "/".join(map(str, r["refs"]))
        print(f"{r['name']:<12} {r['examples']:>8} {refs:>8} {r['systems']:>8} {r['rows']:>7} {r['mismatches']:>9} "
              f"{r['t_harness']:>10.2f} {r['t_direct']:>9.2f} {r['t_harness'] / r['t_direct']:>6.2f}")
    bad = [r for r in results if r["mismatches"] or r["rows"] != r["expected"]]
    print("\nall scores equal rouge-score's" if not bad else f"\nMISMATCH in {', '.join(r['name'] for r in bad)}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
