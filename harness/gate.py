"""`harness check RUN_DIR --baseline FILE`: the CI regression gate.

A change fails the gate when some system's mean F on some ROUGE type drops
below the baseline's by more than a tolerance (default 0.5 points of F x 100,
settable per ROUGE type) AND the drop is significant under a paired test on
the per-example scores (approximate randomization by default, alpha 0.05);
`significance=False` makes it an absolute check. A drop beyond tolerance that
is not significant is reported but passes: on a small corpus, that is noise.

Exit codes: 0 pass, 1 regression, 2 unusable input (no baseline, a
different signature, different examples, a system of the baseline missing).

The baseline file (JSON, small enough to commit) holds what the paired tests
need: the signature, the example ids, and every system's per-example F per
ROUGE type, in the ids' order. Per-example scores are the sufficient
statistics here: a paired test needs each example's difference, which no
summary of the baseline could give.
"""
from __future__ import annotations

import gzip
import json
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from tabulate import tabulate

from . import data_fingerprint, stats, storage
from .compare import Difference, describe_signature_diff, failed_note, paired_columns, signature_diff
from .report.markdown import md_escape, md_text
from .run_folder import RunScores
from .errors import HarnessError

BASELINE_FORMAT = "harness-baseline/1"
DEFAULT_TOLERANCE = 0.5  # points of F x 100

UNCHANGED, OK, IMPROVED, NOISE, REGRESSION, NEW = (
    "unchanged", "ok", "improved", "drop, not significant", "REGRESSION", "new (not in baseline)")


class GateInputError(HarnessError):
    """The run and the baseline cannot be compared: exit code 2."""

    exit_code = 2


# ---------------------------------------------------------------- baseline file

def baseline_from_run(run: RunScores) -> dict:
    """The baseline record of a run: signature, ids, per-example F per system and ROUGE type."""
    for s, by_type in run.f.items():
        for t, by_id in by_type.items():
            missing = [i for i in run.ids if i not in by_id]
            if missing:
                raise GateInputError(f"{run.path}: {s} / {t} has no score for {len(missing)} example(s), "
                                     f"e.g. {missing[0]!r}; a baseline needs every example")
    config = run.summary.get("config", {})
    return {
        "format": BASELINE_FORMAT,
        "signature": run.signature,
        "summarizers": config.get("summarizers", list(run.f)),
        "rouge_types": run.rouge_types,
        "n_examples": len(run.ids),
        "data": run.data_fingerprint,
        "ids": run.ids,
        "fmeasure": {s: {t: [by_type[t][i] for i in run.ids] for t in run.rouge_types if t in by_type}
                     for s, by_type in run.f.items()},
    }


def _dumps(baseline: dict) -> str:
    # Indented for readable diffs, but each list of numbers on one line: a
    # baseline of 10,000 examples stays a few hundred lines.
    lists = {}

    def stash(obj):
        if isinstance(obj, dict):
            return {k: stash(v) for k, v in obj.items()}
        if isinstance(obj, list):
            key = f"@@{len(lists)}@@"
            lists[key] = json.dumps(obj, ensure_ascii=False)
            return key
        return obj

    text = json.dumps(stash(baseline), indent=2, ensure_ascii=False)
    for key, value in lists.items():
        text = text.replace(f'"{key}"', value, 1)
    return text + "\n"


def write_baseline(path: str | Path, baseline: dict) -> None:
    """Write atomically; a `.gz` name is gzip-compressed."""
    path = Path(path)
    text = _dumps(baseline)
    if path.suffix == ".gz":
        with storage.atomic_open(path, "wb") as fh:
            fh.write(gzip.compress(text.encode("utf-8"), mtime=0))
    else:
        storage.write_text(path, text)


def read_baseline(path: str | Path) -> dict:
    path = Path(path)
    if not path.is_file():
        raise GateInputError(f"{path}: no such baseline file; create one with "
                             f"`harness check RUN_DIR --baseline {path} --update-baseline`")
    try:
        raw = path.read_bytes()
        data = json.loads(gzip.decompress(raw) if path.suffix == ".gz" else raw)
    except (json.JSONDecodeError, UnicodeDecodeError, OSError, EOFError) as e:
        raise GateInputError(f"{path}: not a readable baseline ({e})") from None
    if not isinstance(data, dict) or data.get("format") != BASELINE_FORMAT:
        raise GateInputError(f"{path}: not a harness baseline (format {BASELINE_FORMAT!r} expected)")
    if not isinstance(data.get("ids"), list) or not isinstance(data.get("fmeasure"), dict):
        raise GateInputError(f"{path}: a baseline needs 'ids' (a list) and 'fmeasure' (per system and ROUGE type)")
    n = len(data.get("ids", []))
    for s, by_type in data.get("fmeasure", {}).items():
        for t, values in by_type.items():
            if len(values) != n:
                raise GateInputError(f"{path}: {s} / {t} has {len(values)} scores for {n} ids")
            _check_scores(values, data["ids"], f"{path}: {s} / {t}")
    return data


def _check_scores(values: list, ids: list, where: str) -> None:
    """Every baseline score a number in [0, 1]: NaN or infinity would make every comparison pass."""
    for i, v in enumerate(values):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0.0 <= v <= 1.0:
            raise GateInputError(f"{where}: the score of example {ids[i]!r} (number {i + 1}) must be a number "
                                 f"between 0 and 1, not {v!r}")


# ---------------------------------------------------------------- the check

def parse_tolerances(specs: list[str] | None) -> tuple[float, dict[str, float]]:
    """`["0.5", "rouge2=1.0,rougeL=0.8"]` -> (0.5, {"rouge2": 1.0, "rougeL": 0.8}); points of F x 100."""
    default, per_type = DEFAULT_TOLERANCE, {}
    for spec in specs or []:
        for part in filter(None, (p.strip() for p in spec.split(","))):
            key, eq, value = part.rpartition("=")
            try:
                number = float(value)
            except ValueError:
                raise HarnessError(f"--tolerance {part!r}: expected POINTS or ROUGE_TYPE=POINTS") from None
            if number < 0:
                raise HarnessError(f"--tolerance {part!r}: a tolerance cannot be negative")
            if eq:
                per_type[key.strip()] = number
            else:
                default = number
    return default, per_type


@dataclass
class Check:
    system: str
    rouge_type: str
    tolerance: float
    status: str
    result: Difference | None = None  # None for a system new in the run
    p: float | None = None

    @property
    def failed(self) -> bool:
        return self.status == REGRESSION


@dataclass
class GateResult:
    checks: list[Check]
    alpha: float
    test: str
    significance: bool
    signature: str
    baseline_path: str
    run_path: str
    notes: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if c.failed]

    @property
    def exit_code(self) -> int:
        return 1 if self.failures else 0


def _status(d: Difference, tolerance: float, p: float, alpha: float, significance: bool) -> str:
    if d.delta == 0 and d.ci_low == 0 and d.ci_high == 0:
        return UNCHANGED
    significant = not significance or p < alpha
    if -d.delta > tolerance:
        return REGRESSION if significant else NOISE
    if d.delta > tolerance and significant:
        return IMPROVED
    return OK


def check(run: RunScores, baseline: dict, *, tolerance: float = DEFAULT_TOLERANCE,
          tolerances: dict[str, float] | None = None, alpha: float = stats.DEFAULT_ALPHA, test: str = stats.DEFAULT_TEST,
          significance: bool = True, n_resamples: int = stats.DEFAULT_RESAMPLES, seed: int = stats.DEFAULT_SEED,
          baseline_path: str | Path = "", force: bool = False) -> GateResult:
    """Check a run against a baseline record (see the module docstring); raises GateInputError (exit 2).

    `force` checks a run whose data differs from the baseline's (same ids, other sources or references).
    """
    tolerances = dict(tolerances or {})
    if not 0 < alpha < 1:
        raise HarnessError(f"alpha must be in (0, 1), not {alpha}")
    if test not in stats.TESTS:
        raise HarnessError(f"unknown test {test!r}; choose from {', '.join(stats.TESTS)}")
    where = baseline_path or "the baseline"
    diff = signature_diff(baseline.get("signature", ""), run.signature)
    if diff:
        raise GateInputError(f"{run.path} was scored differently from {where}: "
                             f"{describe_signature_diff(diff, 'the baseline', 'the run')}. If the change is "
                             f"intended, write a new baseline with --update-baseline.")
    data_notes = _data_notes(run, baseline, where, force)
    ids = list(baseline["ids"])
    base_ids, run_ids = set(ids), set(run.ids)
    if base_ids != run_ids:
        gone, new = [i for i in ids if i not in run_ids], [i for i in run.ids if i not in base_ids]
        parts = []
        if gone:
            parts.append(f"{len(gone)} baseline example(s) not in the run (e.g. {', '.join(map(repr, gone[:3]))})")
        if new:
            parts.append(f"{len(new)} run example(s) not in the baseline (e.g. {', '.join(map(repr, new[:3]))})")
        raise GateInputError(f"{run.path} and {where} cover different examples: {'; '.join(parts)}")
    unknown = [t for t in tolerances if t not in baseline.get("rouge_types", [])]
    if unknown:
        raise HarnessError(f"--tolerance for {', '.join(unknown)}: not a ROUGE type of the baseline "
                           f"({', '.join(baseline.get('rouge_types', []))})")
    missing = [f"{s} / {t}" for s, by_type in baseline["fmeasure"].items() for t in by_type
               if t not in run.f.get(s, {})]
    if missing:
        raise GateInputError(f"{run.path} lacks what {where} has: {', '.join(missing)}. If the system was "
                             f"removed on purpose, write a new baseline with --update-baseline.")

    columns = []
    for s, by_type in baseline["fmeasure"].items():
        failed = run.failed.get(s, set())
        for t, values in by_type.items():
            current = run.f[s][t]
            gaps = [i for i in ids if i not in current and i not in failed]
            if gaps:
                raise GateInputError(f"{run.path}: {s} / {t} has no score for {len(gaps)} example(s), e.g. {gaps[0]!r}")
            kept = [k for k, i in enumerate(ids) if i in current]  # failed examples are left out
            columns.append(((s, t), [values[k] for k in kept], [current[ids[k]] for k in kept]))
    results = paired_columns(columns, n_resamples=n_resamples, seed=seed)

    checks = []
    for (s, t), d in results.items():
        tol = tolerances.get(t, tolerance)
        p = d.p(test)
        checks.append(Check(s, t, tol, _status(d, tol, p, alpha, significance), d, p))
    for s, by_type in run.f.items():
        for t in by_type:
            if t not in baseline["fmeasure"].get(s, {}):
                checks.append(Check(s, t, tolerances.get(t, tolerance), NEW))
    notes = data_notes + ([failed_note(run)] if run.n_failed else [])
    if any(c.status == NEW for c in checks):
        notes.append("systems new in the run are not checked; --update-baseline adds them to the baseline")
    return GateResult(checks, alpha, test, significance, run.signature, str(baseline_path), str(run.path), notes)


def _data_notes(run: RunScores, baseline: dict, where, force: bool) -> list[str]:
    """Refuse a run over other data than the baseline's (unless `force`); notes for what could not be checked."""
    differs = data_fingerprint.difference(baseline.get("data"), run.data_fingerprint, str(where), str(run.path))
    if differs and not force:
        raise GateInputError(f"{differs}. Check the run's data, or pass --force to check it anyway.")
    if differs:
        return [f"checked despite different data (--force): {differs}"]
    missing = [str(name) for name, fp in ((where, baseline.get("data")), (run.path, run.data_fingerprint)) if not fp]
    return [f"{name} has no data fingerprint (written by an older harness): its data could not be checked"
            for name in missing]


# ---------------------------------------------------------------- output

def table_rows(result: GateResult) -> list[list[str]]:
    rows = []
    for c in result.checks:
        d = c.result
        if d is None:
            rows.append([md_escape(c.system), c.rouge_type, "", "", "", "", "", f"{c.tolerance:g}", c.status])
            continue
        rows.append([md_escape(c.system), c.rouge_type, f"{d.mean_a:.2f}", f"{d.mean_b:.2f}", f"{d.delta:+.2f}",
                     f"[{d.ci_low:+.2f}, {d.ci_high:+.2f}]", stats.format_p(c.p), f"{c.tolerance:g}", c.status])
    return rows


def verdict(result: GateResult) -> str:
    failures = result.failures
    if failures:
        lines = [f"FAIL: {len(failures)} regression{'s' * (len(failures) != 1)} beyond tolerance"
                 + (f" and significant (p < {result.alpha:g})" if result.significance else "") + ":"]
        for c in failures:
            d = c.result
            sig = f", p = {stats.format_p(c.p)}" if result.significance else ""
            lines.append(f"  {md_text(c.system)} {c.rouge_type} F: {d.mean_a:.2f} -> {d.mean_b:.2f} "
                         f"({d.delta:+.2f} points; tolerance {c.tolerance:g}{sig})")
        return "\n".join(lines)
    noise = [c for c in result.checks if c.status == NOISE]
    text = f"PASS: no {'significant ' if result.significance else ''}drop beyond tolerance in {len(result.checks)} checks"
    if noise:
        text += (f"; {len(noise)} drop{'s' * (len(noise) != 1)} beyond tolerance not significant: "
                 + ", ".join(f"{md_text(c.system)} {c.rouge_type}" for c in noise))
    return text


def render_markdown(result: GateResult) -> str:
    headers = ["system", "metric", "baseline", "current", "delta", "95% CI of delta", "p", "tolerance", "status"]
    table = tabulate(table_rows(result), headers=headers, tablefmt="github", disable_numparse=True,
                     colalign=["left", "left"] + ["right"] * 6 + ["left"])
    how = (f"a drop fails when it exceeds the tolerance and is significant ({stats.TESTS[result.test].name}, "
           f"p < {result.alpha:g})" if result.significance else "a drop fails when it exceeds the tolerance "
                                                                  "(--no-significance: no test)")
    lines = [table, "", f"F x 100; delta = current - baseline; {how}.", "", verdict(result)]
    lines += [f"note: {md_text(n)}" for n in result.notes]
    lines += ["", f"signature: {result.signature}"]
    return "\n".join(lines) + "\n"


def append_step_summary(text: str, path: str | None = None) -> Path | None:
    """Append Markdown to GitHub Actions' job summary (`$GITHUB_STEP_SUMMARY`), when set.

    Appended, not replaced: other steps write to the same file. (Not atomic:
    the file belongs to the runner.)
    """
    path = path or os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return None
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(text if text.endswith("\n") else text + "\n")
    except OSError as e:
        raise storage.named(e, path) if e.filename is None else e from None
    return Path(path)


def step_summary(result: GateResult) -> str:
    head = "FAIL" if result.failures else "PASS"
    return f"## harness check: {head}\n\nrun `{result.run_path}` against baseline `{result.baseline_path}`\n\n" \
           + render_markdown(result) + "\n"


def junit_xml(result: GateResult) -> str:
    """JUnit XML: one test case per system and ROUGE type; regressions are failures, new systems skipped."""
    suite = ET.Element("testsuite", name="harness check", tests=str(len(result.checks)),
                       failures=str(len(result.failures)), errors="0",
                       skipped=str(sum(c.status == NEW for c in result.checks)), time="0")
    props = ET.SubElement(suite, "properties")
    for name, value in (("signature", result.signature), ("baseline", result.baseline_path),
                        ("run", result.run_path), ("alpha", f"{result.alpha:g}"), ("test", result.test),
                        ("significance", str(result.significance).lower())):
        ET.SubElement(props, "property", name=name, value=value)
    for c in result.checks:
        case = ET.SubElement(suite, "testcase", classname=f"harness.{c.system}", name=f"{c.rouge_type} F", time="0")
        d = c.result
        if c.status == NEW:
            ET.SubElement(case, "skipped", message="not in the baseline")
            continue
        detail = (f"{c.system} {c.rouge_type} F: baseline {d.mean_a:.2f}, current {d.mean_b:.2f}, "
                  f"delta {d.delta:+.2f} [{d.ci_low:+.2f}, {d.ci_high:+.2f}], p = {stats.format_p(c.p)}, "
                  f"tolerance {c.tolerance:g}: {c.status}")
        if c.failed:
            failure = ET.SubElement(case, "failure", type="regression",
                                    message=f"{c.system} {c.rouge_type} F dropped {-d.delta:.2f} points")
            failure.text = detail
        else:
            ET.SubElement(case, "system-out").text = detail
    root = ET.Element("testsuites", name="harness", tests=suite.get("tests"), failures=suite.get("failures"),
                      errors="0")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def junit_error_xml(message: str) -> str:
    """JUnit XML for a gate that could not run (exit 2): one errored test case."""
    root = ET.Element("testsuites", name="harness", tests="1", failures="0", errors="1")
    suite = ET.SubElement(root, "testsuite", name="harness check", tests="1", failures="0", errors="1",
                          skipped="0", time="0")
    case = ET.SubElement(suite, "testcase", classname="harness.gate", name="baseline", time="0")
    ET.SubElement(case, "error", type="unusable input", message=message).text = message
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
