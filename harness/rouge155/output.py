"""ROUGE-1.5.5's printed report, byte for byte: per peer and measure a rule, the three averages with
their interval, and with -d the per-evaluation lines ordered as the script orders them."""
from functools import cmp_to_key
import re

RULE = "-" * 45
DOTS = "." * 45
_LEADING_DIGITS = re.compile(r"^([0-9]+)")


def perl_number(x) -> str:
    """A number as Perl prints it (%.15g; integers without a decimal point)."""
    if isinstance(x, int):
        return str(x)
    return "%.15g" % x


def _by_eval_id(a: str, b: str) -> int:
    ma, mb = _LEADING_DIGITS.match(a), _LEADING_DIGITS.match(b)
    if ma and mb:
        x, y = int(ma.group(1)), int(mb.group(1))
    else:
        x, y = a, b
    return (x > y) - (x < y)


def eval_order(keys) -> list:
    """-d's order: by the leading number of the eval key where both have one, else as strings."""
    return sorted(sorted(keys), key=cmp_to_key(_by_eval_id))


def averages(peer: str, name: str, avg, confidence: str) -> list:
    lines = [RULE]
    for label, iv in zip("RPF", avg):
        lines.append(f"{peer} {name} Average_{label}: {iv.average:7.5f} "
                     f"({confidence}%-conf.int. {iv.low:7.5f} - {iv.high:7.5f})")
    return lines


def counts(peer: str, name: str, totals: tuple) -> list:
    model, peer_count, hit = totals
    return [RULE, f"{peer} {name} M_count: {model} P_count: {peer_count} H_count: {hit}"]


def per_eval(peer: str, name: str, rows: dict, counting: int) -> list:
    lines = [DOTS]
    for key in eval_order(rows):
        s = rows[key][name]
        if counting:
            r, p, f = (perl_number(v) for v in (s.model_count, s.peer_count, s.hit))
        else:
            r, p, f = (f"{v:7.5f}" for v in s[:3])
        lines.append(f"{peer} {name} Eval {key} R:{r} P:{p} F:{f}")
    return lines
