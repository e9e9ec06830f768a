"""`harness compare RUN_A RUN_B`: how two runs differ, and whether it is more than noise.

Over the examples both runs scored, per system (present in both) and ROUGE
type: the mean F of each run, the difference B - A, its bootstrap
confidence interval, and the paired tests' p-values (paired bootstrap and
approximate randomization from harness.stats, both on the per-example
differences). Then the examples whose F changed most, gains and losses, so a
researcher sees where a method wins or loses.

Runs scored differently (different signatures) are refused, naming the
settings that differ, unless forced: their numbers measure different things.
All means and differences are in points (F x 100).
"""
from __future__ import annotations

import math
from pathlib import Path
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from tabulate import tabulate

from . import data_fingerprint, stats
from .errors import HarnessError
from .explore import compare_page, page_link
from .report.markdown import md_escape, md_text
from .run_folder import RunScores
from .scoring.signature import parse_signature

DEFAULT_TOP = 5


def signature_diff(a: str, b: str) -> dict[str, tuple[str | None, str | None]]:
    """The signature fields whose values differ: `{field: (value in a, value in b)}` (None: absent)."""
    fa, fb = parse_signature(a) if a else {}, parse_signature(b) if b else {}
    return {k: (fa.get(k), fb.get(k)) for k in dict.fromkeys([*fa, *fb]) if fa.get(k) != fb.get(k)}


def describe_signature_diff(diff: dict[str, tuple[str | None, str | None]], a: str = "A", b: str = "B") -> str:
    return "; ".join(f"{k}: {va if va is not None else '(absent)'} in {a}, {vb if vb is not None else '(absent)'} in {b}"
                     for k, (va, vb) in diff.items())


@dataclass
class Difference:
    """Means of two score columns over the same examples and their difference (points)."""

    n: int
    mean_a: float
    mean_b: float
    delta: float  # mean_b - mean_a
    ci_low: float
    ci_high: float
    p_bootstrap: float
    p_randomization: float

    def p(self, test: str) -> float:
        """The p-value of `test` ("bootstrap", "randomization", or "both": the larger)."""
        return stats.test_p(self.p_bootstrap, self.p_randomization, test)


def paired(a: np.ndarray, b: np.ndarray, n_resamples: int = stats.DEFAULT_RESAMPLES, seed: int = stats.DEFAULT_SEED,
           confidence: float = 0.95) -> list[Difference]:
    """Per column of `a` and `b` (`(n_examples, k)`, F in 0..1, rows the same examples): means,
    the difference b - a with its percentile-bootstrap interval, and both paired tests' p-values.

    All columns are resampled together, in one streaming pass (harness.stats.paired_tests);
    means are exactly rounded sums.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    res = stats.paired_tests(b, a, n_resamples, seed, confidence)
    n = len(a)
    return [Difference(n, 100 * math.fsum(a[:, j]) / n, 100 * math.fsum(b[:, j]) / n, 100 * float(res.delta[j]),
                   100 * float(res.ci_low[j]), 100 * float(res.ci_high[j]), float(res.p_bootstrap[j]),
                   float(res.p_randomization[j])) for j in range(a.shape[1])]


def paired_columns(columns: list[tuple[object, list[float], list[float]]], **options) -> dict[object, Difference]:
    """`paired` over columns that may differ in length: `(key, a, b)` -> `{key: Difference}`.

    Columns of equal length are computed in one vectorized call.
    """
    groups: dict[int, list] = defaultdict(list)
    for col in columns:
        groups[len(col[1])].append(col)
    out = {}
    for n, cols in groups.items():
        if n == 0:
            continue
        a = np.column_stack([c[1] for c in cols])
        b = np.column_stack([c[2] for c in cols])
        for (key, _, _), res in zip(cols, paired(a, b, **options)):
            out[key] = res
    return out


@dataclass
class ExampleChange:
    id: str
    a: float  # F x 100 in run A
    b: float
    delta: float


@dataclass
class Comparison:
    a: RunScores
    b: RunScores
    shared_ids: list[str]
    only_a: list[str]
    only_b: list[str]
    differences: dict[tuple[str, str], Difference]  # (system, rouge_type)
    changes: dict[str, tuple[list[ExampleChange], list[ExampleChange]]]  # system -> (gains, losses) on `by`
    by: str
    alpha: float
    test: str
    signature_diff: dict[str, tuple[str | None, str | None]]
    notes: list[str] = field(default_factory=list)


def _data_notes(a: RunScores, b: RunScores, force: bool) -> list[str]:
    """Refuse runs over other data (same ids, other sources or references) unless `force`; notes on the rest."""
    differs = data_fingerprint.difference(a.data_fingerprint, b.data_fingerprint, str(a.path), str(b.path))
    if differs and not force:
        raise HarnessError(f"{differs}, so their numbers are not comparable. Pass --force to compare them anyway.")
    if differs:
        return [f"compared despite different data (--force): {differs}"]
    runs = [a] if Path(a.path).resolve() == Path(b.path).resolve() else [a, b]
    return [f"{run.path} has no data fingerprint (written by an older harness): its data could not be checked"
            for run in runs if not run.data_fingerprint]


def compare(a: RunScores, b: RunScores, *, force: bool = False, top: int = DEFAULT_TOP, by: str | None = None,
            alpha: float = stats.DEFAULT_ALPHA, test: str = stats.DEFAULT_TEST, n_resamples: int = stats.DEFAULT_RESAMPLES,
            seed: int = stats.DEFAULT_SEED, pairs: list[tuple[str, str]] | None = None) -> Comparison:
    """Compare run B against run A over their shared examples (see the module docstring).

    Systems are matched by name, or as `pairs` of (system in A, system in B):
    A and B may be the same run folder, to compare two of its systems.
    """
    diff = signature_diff(a.signature, b.signature)
    if diff and not force:
        raise HarnessError(f"{a.path} and {b.path} were scored differently, so their numbers are not comparable: "
                           f"{describe_signature_diff(diff)}. Rescore one of them the other's way, or pass --force.")
    notes = []
    if diff:
        notes.append(f"compared despite different signatures (--force): {describe_signature_diff(diff)}")
    notes += _data_notes(a, b, force)
    ids_b = set(b.ids)
    shared = [i for i in a.ids if i in ids_b]
    only_a = [i for i in a.ids if i not in ids_b]
    ids_a = set(a.ids)
    only_b = [i for i in b.ids if i not in ids_a]
    if not shared:
        raise HarnessError(f"{a.path} and {b.path} share no example ids; nothing to compare")
    if pairs:
        for sa, sb in pairs:
            if sa not in a.f or sb not in b.f:
                raise HarnessError(f"--pair {sa}={sb}: {sa if sa not in a.f else sb} is not a system of "
                                   f"{a.path if sa not in a.f else b.path}")
        systems = list(pairs)
    else:
        systems = [(s, s) for s in a.f if s in b.f]
        notes += [f"system {s} is only in A" for s in a.f if s not in b.f]
        notes += [f"system {s} is only in B" for s in b.f if s not in a.f]
    if not systems:
        raise HarnessError(f"{a.path} and {b.path} share no system (A: {', '.join(a.f)}; B: {', '.join(b.f)}); "
                           "name the systems to compare with --pair A_SYSTEM=B_SYSTEM")
    types = [t for t in a.rouge_types if t in b.rouge_types]
    by = by or (types[0] if types else None)
    if by not in types:
        raise HarnessError(f"--by {by}: not a ROUGE type of both runs ({', '.join(types)})")

    columns = []
    for sa, sb in systems:
        for t in types:
            fa, fb = a.f[sa].get(t, {}), b.f[sb].get(t, {})
            ids = [i for i in shared if i in fa and i in fb]
            columns.append(((_label(sa, sb), t), [fa[i] for i in ids], [fb[i] for i in ids]))
    differences = paired_columns(columns, n_resamples=n_resamples, seed=seed)

    changes = {}
    for sa, sb in systems:
        fa, fb = a.f[sa].get(by, {}), b.f[sb].get(by, {})
        moved = [ExampleChange(i, 100 * fa[i], 100 * fb[i], 100 * (fb[i] - fa[i]))
                 for i in shared if i in fa and i in fb]
        gains = sorted((c for c in moved if c.delta > 0), key=lambda c: -c.delta)[:top]
        losses = sorted((c for c in moved if c.delta < 0), key=lambda c: c.delta)[:top]
        changes[_label(sa, sb)] = (gains, losses)
    notes += [failed_note(run, name) for run, name in ((a, "A"), (b, "B")) if run.n_failed]
    if only_a or only_b:
        notes.append(f"{len(shared)} shared examples; {len(only_a)} only in A, {len(only_b)} only in B "
                     "(left out)")
    return Comparison(a, b, shared, only_a, only_b, differences, changes, by, alpha, test, diff, notes)


def failed_note(run: RunScores, name: str = "the run") -> str:
    """What a comparison says of a run's failures (kept with --on-error record): they are left out."""
    per_system = ", ".join(f"{s}: {len(ids)}" for s, ids in run.failed.items() if ids)
    return (f"{run.n_failed} failed (example, system) pair(s) in {name} ({per_system}) are left out of the "
            "paired comparison")


def _label(sa: str, sb: str) -> str:
    return sa if sa == sb else f"{sa} -> {sb}"


def render_markdown(cmp: Comparison) -> str:
    test_name = stats.TESTS[cmp.test].name
    out = [f"B = {cmp.b.path} against A = {cmp.a.path}, over {len(cmp.shared_ids)} shared examples "
           "(F x 100; delta = B - A).", ""]
    rows = []
    for (s, t), d in cmp.differences.items():
        sig = d.p(cmp.test) < cmp.alpha
        mark = ("▲" if d.delta > 0 else "▼") if sig else ""
        rows.append([md_escape(s), t, d.n, f"{d.mean_a:.2f}", f"{d.mean_b:.2f}", f"{d.delta:+.2f}{mark}",
                     f"[{d.ci_low:+.2f}, {d.ci_high:+.2f}]", stats.format_p(d.p_bootstrap), stats.format_p(d.p_randomization)])
    out.append(tabulate(rows, headers=["system", "metric", "n", "A", "B", "delta", "95% CI of delta",
                                       "p (bootstrap)", "p (randomization)"],
                        tablefmt="github", disable_numparse=True, colalign=["left", "left"] + ["right"] * 7))
    out += ["", f"▲/▼: B significantly above/below A ({test_name}, p < {cmp.alpha:g}); CI: "
                f"95% bootstrap interval of the mean difference."]
    out += ["", f"## Examples that changed most ({cmp.by} F, B - A)"]
    for s, (gains, losses) in cmp.changes.items():
        if not gains and not losses:
            out += ["", f"{md_text(s)}: no example changed."]
            continue
        rows = [[md_escape(c.id), f"{c.a:.2f}", f"{c.b:.2f}", f"{c.delta:+.2f}"] for c in gains + losses]
        out += ["", f"{md_text(s)}: {len(gains)} largest gains, {len(losses)} largest losses", "",
                tabulate(rows, headers=["example", "A", "B", "delta"], tablefmt="github", disable_numparse=True,
                         colalign=["left", "right", "right", "right"]), "", _explore_line(cmp, s)]
    if cmp.notes:
        out += [""] + [f"note: {md_text(n)}" for n in cmp.notes]
    if cmp.signature_diff:
        out += ["", f"signature A: {cmp.a.signature}", f"signature B: {cmp.b.signature}"]
    else:
        out += ["", f"signature: {cmp.a.signature}"]
    return "\n".join(out) + "\n"


def _explore(cmp: Comparison, label: str) -> dict:
    """Where the examples of `label` (a system, or "A_SYSTEM -> B_SYSTEM") are seen side by side."""
    sa, _, sb = label.partition(" -> ")
    page = compare_page(cmp.a.path, cmp.b.path)
    return {"page": str(page), "exists": page.is_file(),
            "link": page_link(page, sa, sb or sa, cmp.by, two_runs=page.name != "examples.html"),
            "command": None if page.name == "examples.html" else f"harness explore {cmp.a.path} {cmp.b.path}"}


def _explore_line(cmp: Comparison, label: str) -> str:
    e = _explore(cmp, label)
    if e["exists"] or e["command"] is None:
        return f"Side by side, sorted by this difference: {e['link']}"
    return f"Side by side, sorted by this difference: `{e['command']}`, then open {e['link']}"


def to_dict(cmp: Comparison) -> dict:
    texts_a, texts_b = cmp.a.summaries(), cmp.b.summaries()

    def change(s: str, c: ExampleChange) -> dict:
        return {"id": c.id, "a": c.a, "b": c.b, "delta": c.delta,
                "summary_a": texts_a.get((c.id, s)), "summary_b": texts_b.get((c.id, s))}

    return {
        "a": str(cmp.a.path), "b": str(cmp.b.path), "unit": "F x 100", "n_shared": len(cmp.shared_ids),
        "only_a": cmp.only_a, "only_b": cmp.only_b, "alpha": cmp.alpha, "test": cmp.test,
        "differences": [{"system": s, "rouge_type": t, **vars(d)} for (s, t), d in cmp.differences.items()],
        "changed_most": {"by": cmp.by, "systems": {s: {"gains": [change(s, c) for c in g],
                                                       "losses": [change(s, c) for c in lo],
                                                       "explore": _explore(cmp, s)}
                                                   for s, (g, lo) in cmp.changes.items()}},
        "signature_a": cmp.a.signature, "signature_b": cmp.b.signature,
        "signature_diff": {k: list(v) for k, v in cmp.signature_diff.items()},
        "notes": cmp.notes,
    }
