"""The longest-common-subsequence kernels of ROUGE-L and ROUGE-W, in pure Python, and the C kernels
(harness/rouge155/_kernels.c: n-grams, skip bigrams, LCS and WLCS on token ids) where they are built
and HARNESS_NATIVE is not 0. Both give the same numbers (tests/test_rouge155_kernels.py).

Both mark, in the model unit, the tokens one LCS (resp. weighted LCS) with a peer unit goes
through, with ROUGE-1.5.5's tie rule: on a match go diagonal, else up when the cell above is at
least the cell to the left, else left; the path is read back from the bottom-right corner.
ROUGE-W's table adds f(k+1) - f(k) for the k-th consecutive match, f(k) = k ** weight.
"""
import os
from array import array

try:
    from . import _kernels
except ImportError:  # no C compiler at install time: the pure-Python path below
    _kernels = None

NATIVE = _kernels is not None and os.environ.get("HARNESS_NATIVE", "1") != "0"
if NATIVE:
    grams, skips, lcs, sample_sums = _kernels.grams, _kernels.skips, _kernels.lcs, _kernels.sample_sums


def ids(tokens: list, vocabulary: dict) -> array:
    """The tokens as int32 ids, new tokens numbered as they come."""
    get = vocabulary.setdefault
    return array("i", [get(t, len(vocabulary)) for t in tokens])


def _mark(back: list, mask: list, i: int, j: int) -> None:
    while i and j:
        move = back[i][j]
        if move == 0:
            i -= 1
            j -= 1
            mask[i] = 1
        elif move == 1:
            i -= 1
        else:
            j -= 1


def lcs_mask(model: list, peer: list, mask: list) -> None:
    """Set mask[i] = 1 for the model tokens on ROUGE's LCS path through (model, peer)."""
    if not model or not peer:
        return
    n = len(peer)
    prev = [0] * (n + 1)
    back = [None]
    for token in model:
        row, moves = [0] * (n + 1), [0] * (n + 1)
        for j in range(1, n + 1):
            if token == peer[j - 1]:
                row[j] = prev[j - 1] + 1
            elif prev[j] >= row[j - 1]:
                row[j], moves[j] = prev[j], 1
            else:
                row[j], moves[j] = row[j - 1], 2
        back.append(moves)
        prev = row
    _mark(back, mask, len(model), n)


def wlcs_mask(model: list, peer: list, mask: list, weight: float) -> None:
    """Set mask[i] = 1 for the model tokens on ROUGE's weighted-LCS path through (model, peer)."""
    if not model or not peer:
        return
    n = len(peer)
    prev, prev_run = [0.0] * (n + 1), [0] * (n + 1)
    back = [None]
    for token in model:
        row, run, moves = [0.0] * (n + 1), [0] * (n + 1), [0] * (n + 1)
        for j in range(1, n + 1):
            if token == peer[j - 1]:
                k = prev_run[j - 1]
                row[j] = prev[j - 1] + (k + 1) ** weight - k ** weight
                run[j] = k + 1
            elif prev[j] >= row[j - 1]:
                row[j], moves[j] = prev[j], 1
            else:
                row[j], moves[j] = row[j - 1], 2
        back.append(moves)
        prev, prev_run = row, run
    _mark(back, mask, len(model), n)
