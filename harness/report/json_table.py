"""The table as JSON: the same cells and marks as every other format, as data.

Values are points (ROUGE x 100); `sig` is +1/-1/0 (better/worse than the
baseline under `significance.test`, or neither); `ci` is `[low, high]` of
the mean F or null.
"""
from __future__ import annotations

import json

from ..stats import TESTS
from .model import MEASURES, Table, pretty_type


def to_dict(table: Table) -> dict:
    return {
        "unit": "ROUGE x 100",
        "n_examples": table.n_examples,
        "baseline": table.baseline if table.baseline_present else None,
        "significance": {"test": table.test, "name": TESTS[table.test].name, "alpha": table.alpha,
                         "measure": "fmeasure"},
        "confidence": table.confidence,
        "columns": [{"rouge_type": t, "measure": m, "label": f"{pretty_type(t)} {MEASURES[m]}"}
                    for t, m in table.columns],
        "rows": [{
            "system": row.system,
            "role": row.role,
            "n": row.n,
            "failed": row.failed,
            "cells": [None if (cell := row.cells.get(col)) is None else {
                "rouge_type": col[0], "measure": col[1], "value": cell.value,
                "ci": list(cell.ci) if cell.ci else None, "best": cell.best, "sig": cell.sig,
                "p_bootstrap": cell.p_bootstrap, "p_randomization": cell.p_randomization,
            } for col in table.columns],
        } for row in table.rows],
        "notes": [text for _, text in table.notes()],
        "signature": table.signature,
        "signature_fields": table.signature_fields,
        "system_signatures": table.config.get("system_signatures") or {},
    }


def render(table: Table) -> str:
    return json.dumps(to_dict(table), indent=2, ensure_ascii=False) + "\n"
