"""The result table as data, before any format: what every cell says and why.

Every format (Markdown, CSV, JSON, LaTeX, HTML) renders the same `Table`, so
they cannot disagree about which score is best or which difference is
significant. Values are ROUGE x 100 ("points"), as papers print them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..scoring.signature import parse_signature
from ..stats import DEFAULT_ALPHA, DEFAULT_BASELINE, DEFAULT_TEST, TESTS, test_p

MEASURES = {"precision": "P", "recall": "R", "fmeasure": "F"}
PRETTY_TYPES = {"rougeL": "ROUGE-L", "rougeLsum": "ROUGE-Lsum"}

BASELINE, SYSTEM, UPPER_BOUND = "baseline", "system", "upper_bound"


def pretty_type(rouge_type: str) -> str:
    """`rouge1` -> `ROUGE-1`, as papers write it."""
    return PRETTY_TYPES.get(rouge_type) or rouge_type.replace("rouge", "ROUGE-", 1)


def baseline_system(summary: dict) -> str:
    return summary.get("config", {}).get("baseline_system") or DEFAULT_BASELINE


def upper_bounds(summary: dict) -> set[str]:
    """Systems that read the references (oracles): upper bounds, not systems.

    The run's config lists them under `upper_bound` when the pipeline knows;
    older runs are recognized by the name (`oracle`, `oracle:k=3`, ...).
    """
    listed = summary.get("config", {}).get("upper_bound")
    if listed is not None:
        return set(listed)
    return {s for s in summary["systems"] if s.split(":", 1)[0].startswith("oracle")}


@dataclass
class Cell:
    """One system's score on one column, in points (x100).

    `ci` bounds the mean F (bootstrap over examples) and exists for F only;
    `sig` is +1/-1 when the system is significantly better/worse than the
    baseline under the table's test, 0 otherwise.
    """

    value: float
    ci: tuple[float, float] | None = None
    best: bool = False
    sig: int = 0
    p_bootstrap: float | None = None
    p_randomization: float | None = None


@dataclass
class Row:
    system: str
    role: str  # BASELINE, SYSTEM or UPPER_BOUND
    n: int
    cells: dict[tuple[str, str], Cell]
    failed: int = 0  # examples the system failed on (runs with --on-error record)

    @property
    def n_text(self) -> str:
        return f"{self.n} ({self.failed} failed)" if self.failed else str(self.n)

    @property
    def label(self) -> str:
        return f"{self.system} (baseline)" if self.role == BASELINE else self.system


@dataclass
class Table:
    columns: list[tuple[str, str]]  # (rouge_type, measure), measure a key of MEASURES
    rows: list[Row]  # systems in run order, then upper bounds
    baseline: str
    baseline_present: bool
    test: str
    alpha: float
    confidence: float
    n_examples: int
    signature: str
    config: dict = field(default_factory=dict)
    rouge155: dict = field(default_factory=dict)  # ROUGE-1.5.5's own averages (summary.json "rouge155")

    @property
    def systems(self) -> list[Row]:
        return [r for r in self.rows if r.role != UPPER_BOUND]

    @property
    def upper_bounds(self) -> list[Row]:
        return [r for r in self.rows if r.role == UPPER_BOUND]

    @property
    def has_ci(self) -> bool:
        return any(c.ci is not None for r in self.rows for c in r.cells.values())

    @property
    def has_significance(self) -> bool:
        return any(c.p_bootstrap is not None or c.p_randomization is not None
                   for r in self.rows for c in r.cells.values())

    @property
    def signature_fields(self) -> dict[str, str]:
        return parse_signature(self.signature) if self.signature else {}

    def column_label(self, column: tuple[str, str], pretty: bool = False) -> str:
        t, m = column
        return f"{pretty_type(t) if pretty else t} {MEASURES[m]}"

    def notes(self) -> list[tuple[str, str]]:
        """The footnotes, as (marker, text): what the numbers are and what each mark means."""
        test_name = TESTS[self.test].name
        out = [("", f"ROUGE x 100, mean over {self.n_examples} examples"
                    + (f"; brackets: {self.confidence:.0%} bootstrap confidence interval of the mean F"
                       if self.has_ci else "") + ".")]
        out.append(("bold", "best system in each column" + (" (upper bounds excluded)" if self.upper_bounds else "") + "."))
        if self.baseline_present and self.has_significance:
            out.append(("sig", f"F significantly above/below the baseline {self.baseline}'s "
                               f"({test_name}, p < {self.alpha:g}); differences without a mark are not significant."))
        elif not self.baseline_present:
            out.append(("", f"no significance marks: the baseline system {self.baseline!r} is not in this run."))
        else:
            out.append(("", "no significance marks: the run has no paired tests (bootstrap resamples were 0)."))
        if any(r.failed for r in self.rows):
            out.append(("", "n counts the examples a system was scored on; \"failed\" ones are left out of its "
                            "means and listed in failures.jsonl."))
        if self.upper_bounds:
            out.append(("upper", "reads the references to choose its summary: an upper bound, not a system; "
                                 "excluded from best and significance marks."))
        return out


def _p_for_test(cell: Cell, test: str) -> float | None:
    return test_p(cell.p_bootstrap, cell.p_randomization, test)


def build_table(summary: dict, *, precision_recall: bool = False, test: str = DEFAULT_TEST,
                alpha: float = DEFAULT_ALPHA, confidence: float = 0.95) -> Table:
    """The table of a run's `summary.json` content.

    Best marks go to the highest mean in each column among systems (not
    upper bounds). Significance marks use the p-values stored in the summary
    (F only) and compare the mean F with the baseline's.
    """
    if test not in TESTS:
        raise ValueError(f"unknown test {test!r}; choose from {', '.join(TESTS)}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), not {alpha}")
    config = summary.get("config", {})
    systems = summary["systems"]
    types = list(config.get("rouge_types") or next(iter(systems.values()), {}).keys())
    measures = ["precision", "recall", "fmeasure"] if precision_recall else ["fmeasure"]
    columns = [(t, m) for t in types for m in measures]
    baseline = baseline_system(summary)
    uppers = upper_bounds(summary)

    rows = []
    for system, by_type in systems.items():
        role = UPPER_BOUND if system in uppers else BASELINE if system == baseline else SYSTEM
        cells = {}
        for t, m in columns:
            e = by_type.get(t)
            if e is None or e.get("n") == 0:  # nothing scored (every example failed or missing): no 0.00 to bold
                continue
            ci = (100 * e["ci_low"], 100 * e["ci_high"]) if m == "fmeasure" and "ci_low" in e else None
            cell = Cell(100 * e[m], ci)
            if m == "fmeasure" and role != UPPER_BOUND:
                cell.p_bootstrap, cell.p_randomization = e.get("p_bootstrap"), e.get("p_randomization")
            cells[(t, m)] = cell
        n = max((e.get("n", 0) for e in by_type.values()), default=0)
        failed = max((e.get("failed", 0) for e in by_type.values()), default=0)
        rows.append(Row(system, role, n, cells, failed))
    rows.sort(key=lambda r: r.role == UPPER_BOUND)  # stable: run order within each group

    base_row = next((r for r in rows if r.role == BASELINE), None)
    for col in columns:
        ranked = [r.cells[col].value for r in rows if r.role != UPPER_BOUND and col in r.cells]
        top = max(ranked, default=None)
        for r in rows:
            cell = r.cells.get(col)
            if cell is None:
                continue
            cell.best = r.role != UPPER_BOUND and cell.value == top
            p = _p_for_test(cell, test)
            if base_row is not None and col in base_row.cells and p is not None and p < alpha:
                diff = cell.value - base_row.cells[col].value
                cell.sig = (diff > 0) - (diff < 0)
    n_examples = config.get("n_examples") or max((r.n for r in rows), default=0)
    return Table(columns, rows, baseline, base_row is not None, test, alpha, confidence, n_examples,
                 summary.get("signature", ""), config, summary.get("rouge155", {}))
