"""The explorer page's data: one compact record per example, from run folders and the examples.

A run folder holds the scores (scores.jsonl), the summaries (summaries.jsonl)
and how they were scored (summary.json); the sources and references come
from the data again (the same examples the run read). For each example kept
in the page: the question and source, every reference, every system's
summary with its F per ROUGE type as stored, and for each text the
character spans of its scored tokens and the tokens as ids (equal ids for
equal terms, stems included: what ROUGE compares), from which the page
computes the hits of each (summary, reference, ROUGE type) as
`harness.explore.marks` does; the sentences an extractive summary took from
the source, and the novel n-grams.

The page is bounded (`Limits`): texts and marks for at most
`Limits.examples` examples (they are what costs: about a millisecond per
summary), at most `Limits.rows` rows in the list (an id and the scores, so
a large run is still sorted and compared as a whole), and about
`Limits.bytes` bytes in all (a quarter of it at most for rows without
texts). Beyond those, examples are taken in this order of priority: the
`ids` the user gave; per score column the `EXTREMES` lowest and highest;
per compared pair of systems (each system against the run's baseline
system, and each system of run B against the same system of run A) the
`EXTREMES` largest gains and losses on the first ROUGE type; then the others
in a fixed pseudo-random order (a hash of the id, so the same run gives the
same page). The page says so, and `harness explore RUN --ids ...` writes a
page of any examples.

Every summary is checked: scored again (the engine, the run's settings),
the summary summaries.jsonl holds must give the scores scores.jsonl holds.
One that does not (a file changed after scoring) is flagged in the page,
never shown as if it did.
"""
from __future__ import annotations

import hashlib
import heapq
import math
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from .. import storage
from ..data import Example
from ..errors import DataError, HarnessError
from ..run_folder import SUMMARIES, load_scores
from ..scoring import ScoreConfig, Scorer
from ..scoring.signature import parse_signature
from ..scoring.backend import get_tokenizer
from . import marks
from .page import embed_json

DEFAULT_MAX_EXAMPLES = 2_000  # with their texts and marks (the costly part: ~1 ms per summary)
DEFAULT_MAX_ROWS = 50_000  # in the list (id and scores)
DEFAULT_MAX_BYTES = 24_000_000
EXTREMES = 10  # per score column and per compared pair, kept first when a run is sampled
SCORE_DECIMALS = 4  # F in the list (0..1), enough for sorting and for two decimals of points


@dataclass(frozen=True)
class Limits:
    """The size bound of a page (see the module docstring)."""

    examples: int = DEFAULT_MAX_EXAMPLES
    bytes: int = DEFAULT_MAX_BYTES
    rows: int = DEFAULT_MAX_ROWS


@dataclass
class Run:
    """What the page reads from one run folder."""

    path: Path
    summary: dict
    ids: list[str]  # in the order of scores.jsonl
    systems: list[str]
    f: dict[tuple[str, str], dict[str, float | None]]  # (system, type) -> id -> F (None: failed)
    label: Path | None = None  # the name the page gives the run, when not `path` (a run read from its staging)

    @property
    def config(self) -> dict:
        return self.summary.get("config", {})

    @property
    def rouge_types(self) -> list[str]:
        return list(self.config.get("rouge_types") or dict.fromkeys(t for _, t in self.f))

    def score_config(self) -> ScoreConfig:
        """The scoring settings of the run (those that decide tokens and texts; defaults for the rest)."""
        c = self.config
        keys = ("rouge_types", "use_stemmer", "tokenizer", "lsum_split", "multiref", "max_words", "max_bytes",
                "rouge155", "rouge155_exceptions")
        try:
            return ScoreConfig(**{k: (tuple(c[k]) if k == "rouge_types" else c[k]) for k in keys if k in c})
        except (TypeError, ValueError) as e:
            raise HarnessError(f"{self.path / 'summary.json'}: unusable scoring settings: {e}") from None


def read_run(run_dir: str | Path) -> Run:
    """A run folder's scores and settings (harness.run_folder's reader: errors name the file and row)."""
    scores = load_scores(run_dir)
    order = [*dict.fromkeys([*(scores.summary.get("systems") or {}), *scores.f])]
    systems = [s for s in order if s in scores.f]
    f = {(s, t): by_id for s in systems for t, by_id in scores.f[s].items()}  # a failure: no F, so None
    return Run(Path(run_dir), scores.summary, scores.ids, systems, f)


# --- which examples go into the page ------------------------------------------------------------

def _hash_order(example_id: str) -> bytes:
    return hashlib.blake2b(example_id.encode("utf-8", "surrogatepass"), digest_size=8).digest()


def _extremes(values: dict[str, float | None], ids: set[str], k: int) -> list[str]:
    """The ids of the k lowest and the k highest values (ties broken by id), among `ids`."""
    known = [(v, i) for i, v in values.items() if v is not None and i in ids]
    return [i for _, i in heapq.nsmallest(k, known)] + [i for _, i in heapq.nlargest(k, known)]


def _pairs(runs: Sequence[Run]) -> list[tuple[int, str, int, str]]:
    """The compared pairs of systems, (run, system, run, system): see the module docstring."""
    out = []
    for r, run in enumerate(runs):
        base = run.config.get("baseline_system")
        if base in run.systems:
            out += [(r, base, r, s) for s in run.systems if s != base]
    if len(runs) == 2:
        out += [(0, s, 1, s) for s in runs[0].systems if s in runs[1].systems]
    return out


def priority(runs: Sequence[Run], ids: Sequence[str], types: Sequence[str]) -> list[str]:
    """Every id of `ids`, the ones a sampled page keeps first at the front (see the module docstring)."""
    first: dict[str, None] = {}
    ids_set = set(ids)
    for run in runs:
        for s in run.systems:
            for t in types:
                first.update(dict.fromkeys(_extremes(run.f.get((s, t), {}), ids_set, EXTREMES)))
    if types:
        t = types[0]
        for ra, sa, rb, sb in _pairs(runs):
            fa, fb = runs[ra].f.get((sa, t), {}), runs[rb].f.get((sb, t), {})
            diff = {i: fb[i] - fa[i] for i in ids if fa.get(i) is not None and fb.get(i) is not None}
            first.update(dict.fromkeys(_extremes(diff, ids_set, EXTREMES)))
    rest = sorted((i for i in ids if i not in first), key=_hash_order)
    return list(first) + rest


# --- one example's record -----------------------------------------------------------------------

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # two UTF-16 code units each


def _utf16(text: str):
    """Code point offset -> UTF-16 offset (what JavaScript strings index) for this text."""
    if text.isascii() or not _ASTRAL.search(text):
        return lambda i: i
    at = [0]
    for c in text:
        at.append(at[-1] + (2 if ord(c) >= 0x10000 else 1))
    return at.__getitem__


def _gaps(spans: Sequence[tuple[int, int]], text: str) -> list[int]:
    """Spans as [gap before token, token length, ...] in UTF-16 units (small numbers: a compact page)."""
    conv = _utf16(text)
    out, end = [], 0
    for s, e in spans:
        s16, e16 = conv(s), conv(e)
        out += [s16 - end, e16 - s16]
        end = e16
    return out


@dataclass
class Placed:
    """A text as the page shows it, with the spans of its scored tokens."""

    text: str
    tokens: marks.Tokens
    spans: list[tuple[int, int]] | None
    scored: int  # how many of the shown tokens were scored (a length limit cuts the rest)
    note: str = ""


class Marker:
    """Tokens, spans and hits under one run's scoring settings."""

    def __init__(self, config: ScoreConfig) -> None:
        self.config = config
        self.types = list(config.rouge_types)
        self.scorer = Scorer(config)  # its text preparation: sentence split for rougeLsum, length limits
        self.tokenizer = get_tokenizer(config.tokenizer, config.use_stemmer)
        self._lines: dict[str, str] = {}

    def _prepared(self, text: str) -> str:
        return text if self.config.lsum_split == "newline" else self.scorer.prepare(text)

    def _prepared_lines(self, text: str) -> str:
        """`_prepared`, one line at a time: the sentence splitter sees each line alone anyway
        (harness.sentences.split_sentences), and systems share lines (extractive ones do)."""
        if self.config.lsum_split == "newline":
            return text
        memo = self._lines
        if len(memo) > 100_000:
            memo.clear()
        out = []
        for line in text.split("\n"):
            done = memo.get(line)
            if done is None:
                done = memo[line] = self.scorer.prepare(line)
            if done:
                out.append(done)
        return "\n".join(out)

    def place(self, shown: str, prepared: str) -> Placed:
        """`shown` with the tokens of `prepared` (what was scored) placed in it."""
        toks = marks.scored_tokens(self.tokenizer, prepared)
        spans = marks.token_spans(self.tokenizer, shown, toks.flat)
        if spans is not None:
            return Placed(shown, toks, spans, len(toks.flat))
        every = self.tokenizer.tokens(shown)  # a length limit: the scored tokens are the first ones
        if every[:len(toks.flat)] == toks.flat:
            spans = marks.token_spans(self.tokenizer, shown, every)
            if spans is not None:
                return Placed(shown, toks, spans, len(toks.flat), "cut to the length limit before scoring")
        spans = marks.token_spans(self.tokenizer, prepared, toks.flat)
        note = "shown as scored (sentences on lines)"
        return Placed(prepared, toks, spans, len(toks.flat), note if spans is not None else "tokens not placeable")

    def reference(self, text: str) -> Placed:
        return self.place(text, self._prepared(text))

    def summary(self, sentences: Sequence[str]) -> Placed:
        scored = "\n".join(self.scorer.summary_sentences(sentences))
        return self.place("\n".join(sentences), self._prepared_lines(scored))


def _text_record(p: Placed, vocab: dict[str, int], lines: bool) -> dict:
    """A text for the page: its spans and its tokens as ids (equal ids, equal terms: what ROUGE compares)."""
    rec = {"t": p.text, "k": _gaps(p.spans, p.text) if p.spans is not None else None,
           "w": [vocab.setdefault(t, len(vocab)) for t in p.tokens.flat]}
    if lines:  # rougeLsum's sentences: tokens per line
        rec["l"] = [len(s) for s in p.tokens.sents]
    if p.spans is not None and p.scored < len(p.spans):
        rec["c"] = p.scored
    if p.note:
        rec["note"] = p.note
    return rec


def _rounded(x: float | None) -> float | None:
    return None if x is None or math.isnan(x) else round(x, SCORE_DECIMALS)


def summary_record(marker: Marker, sentences: Sequence[str], vocab: dict[str, int], source_grams: list[set],
                   source: str) -> dict:
    """One summary of one example: text, spans, token ids, novel n-grams, the sentences it took."""
    p = marker.summary(sentences)
    rec = _text_record(p, vocab, "rougeLsum" in marker.types)
    rec["n"] = marks.novel_mask(p.tokens.flat, source_grams)
    chosen = marks.chosen_spans(sentences, source)
    rec["x"] = None if chosen is None else _gaps(chosen, source)
    return rec


def example_record(ex: Example, markers: Sequence[Marker], systems: Sequence[tuple[int, str]],
                   summaries: dict[tuple[int, str], list[str] | None], errors: dict[tuple[int, str], str],
                   stored: dict[tuple[int, str], list[float | None]], types: Sequence[str]) -> dict:
    """The page's record of one example (see the module docstring); `systems` are (run, name), `stored`
    their F per type of `types`."""
    main = markers[0]
    vocab: dict[str, int] = {}
    lines = "rougeLsum" in main.types
    refs = [main.reference(t) for t in ex.reference_texts]
    grams = marks.source_grams(main.tokenizer.tokens(ex.source))
    rec = {"id": ex.id, "q": ex.question or None, "src": ex.source,
           "refs": [{**_text_record(p, vocab, lines), "a": r.annotator} for p, r in zip(refs, ex.references)],
           "s": [], "f": []}
    done: dict[tuple, dict] = {}  # systems that wrote the same summary share its record
    present = {key: s for key, s in summaries.items() if s is not None}
    with warnings.catch_warnings():  # a check: the run already warned about these texts
        warnings.simplefilter("ignore", UserWarning)
        rescored = main.scorer.score_example(ex, dict(enumerate(present.values()))) if present else {}
    again = dict(zip(present, rescored.values()))
    for key in systems:
        f = stored.get(key)
        rec["f"].append(None if f is None else [_rounded(x) for x in f])
        sentences = summaries.get(key)
        if sentences is None:
            rec["s"].append({"e": errors[key]} if key in errors else None)
            continue
        found = done.get(tuple(sentences))
        if found is None:
            found = done[tuple(sentences)] = summary_record(markers[key[0]], sentences, vocab, grams, ex.source)
        # the summary as summaries.jsonl holds it, scored again, must give the stored scores
        ok = all(x is None or again[key][t].fmeasure == x for t, x in zip(types, f or []))
        rec["s"].append({**found, "ok": int(ok)})
    return rec


# --- the whole page -----------------------------------------------------------------------------

@dataclass
class Payload:
    """Everything the page shows, as JSON-ready data, and what was left out."""

    data: dict
    n_total: int
    n_shown: int  # examples with their texts
    notes: list[str] = field(default_factory=list)
    encoded: list[str] | None = None  # data["examples"], each already as page-safe JSON (page.render)


def _summaries(run: Run, wanted: set[str], r: int, out: dict, errors: dict) -> None:
    path = run.path / SUMMARIES
    if not path.is_file():
        raise HarnessError(f"{path}: missing; is {run.path} a run folder written by `harness run`?")
    for lineno, row in enumerate(storage.read_jsonl(path), 1):
        try:
            ex_id, system, text = row["id"], row["system"], row["summary"]
        except (KeyError, TypeError):
            raise HarnessError(f"{path}:{lineno}: expected an object with id, system and summary") from None
        if ex_id in wanted:
            out.setdefault(ex_id, {})[r, system] = None if text is None else (text.split("\n") if text else [])
            if text is None:
                errors[ex_id, r, system] = str(row.get("error") or "failed")


def check_comparable(runs: Sequence[Run], force: bool) -> list[str]:
    """Two runs must have been scored alike (their marks are computed one way); notes for the page."""
    if len(runs) < 2:
        return []
    fa, fb = (parse_signature(r.summary.get("signature") or "") for r in runs[:2])
    differ = [f"{k}: {fa.get(k)} in A, {fb.get(k)} in B" for k in dict.fromkeys([*fa, *fb]) if fa.get(k) != fb.get(k)]
    if not differ:
        return []
    if not force:
        raise HarnessError(f"{runs[0].path} and {runs[1].path} were scored differently ({'; '.join(differ)}); "
                           "pass --force to explore them anyway (the marks then follow A's settings)")
    return [f"runs scored differently ({'; '.join(differ)}): every mark follows A's settings; "
            "scores are each run's own"]


def build(runs: Sequence[Run], examples: Iterable[Example], *, ids: Sequence[str] | None = None,
          limits: Limits = Limits(), force: bool = False) -> Payload:
    """The page's data for one run, or two compared (`runs[1]` is B)."""
    notes = check_comparable(runs, force)
    types = [t for t in runs[0].rouge_types if all(t in r.rouge_types for r in runs[1:])]
    shared = [i for i in runs[0].ids if all(i in set(r.ids) for r in runs[1:])] if len(runs) > 1 else runs[0].ids
    if len(runs) > 1 and len(shared) < len(runs[0].ids):
        notes.append(f"{len(shared)} examples are in both runs; the others are left out")
    if ids:
        known = set(shared)
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise DataError(f"--ids: not example ids of {' and '.join(str(r.path) for r in runs)}: "
                            f"{', '.join(map(repr, unknown[:10]))}")
        order = list(dict.fromkeys(ids))
    else:
        order = priority(runs, shared, types) if len(shared) > limits.examples else list(shared)
    systems = [(r, s) for r, run in enumerate(runs) for s in run.systems]
    row_bytes = 24 + 8 * len(systems) * len(types)  # about, in the page's JSON
    if ids:  # exactly the examples asked for (only the byte budget still applies)
        listed, chosen = order, order
    else:
        listed = order[:max(1, min(limits.rows, limits.bytes // 4 // row_bytes))]
        chosen = order[:limits.examples]
    wanted = set(chosen)
    summaries: dict = {}
    errors: dict = {}
    for r, run in enumerate(runs):
        _summaries(run, wanted, r, summaries, errors)
    markers = [Marker(runs[0].score_config())] * len(runs)  # one way of marking (check_comparable)
    found: dict[str, Example] = {}
    for ex in examples:
        if ex.id in wanted:
            found[ex.id] = ex
    missing = [i for i in chosen if i not in found]
    if missing and len(missing) == len(chosen):
        raise DataError(f"none of the run's examples ({', '.join(map(repr, chosen[:5]))}, ...) is in the data "
                        "given; pass the data the run was made from (--data and its options)")
    if missing:
        notes.append(f"{len(missing)} example(s) of the run are not in the data: their texts are not shown: "
                     f"{', '.join(map(repr, missing[:10]))}")

    columns = {(r, s): [runs[r].f.get((s, t), {}) for t in types] for r, s in systems}

    def scores(i: str) -> dict[tuple[int, str], list[float | None]]:
        return {key: [c.get(i) for c in cols] for key, cols in columns.items()}

    records, encoded, size = {}, {}, len(listed) * row_bytes
    for i in chosen:
        if i not in found:
            continue
        f = scores(i)
        failed = {(r, s): e for (j, r, s), e in errors.items() if j == i}
        rec = example_record(found[i], markers, systems, summaries.get(i, {}), failed, f, types)
        text = embed_json(rec)
        if records and size + len(text) > limits.bytes:
            break
        records[i], encoded[i] = rec, text
        size += len(text)
    listed = list(dict.fromkeys([*records, *listed]))  # every example with texts is in the list
    for i in listed:
        if i not in records:
            f = scores(i)
            records[i] = {"id": i, "f": [None if f[k] is None else [_rounded(x) for x in f[k]] for k in systems]}
            encoded[i] = embed_json(records[i])
    in_list = set(listed)
    data_order = [i for i in shared if i in in_list] if not ids else [i for i in order if i in in_list]
    n_total = len(shared)
    n_detail = sum("s" in records[i] for i in listed)
    if ids and n_detail < len(chosen):
        notes.append(f"the texts of {len(chosen) - n_detail} of the examples asked for are left out: the page "
                     f"would hold more than about {limits.bytes // 1_000_000} MB (--max-mb)")
    if n_detail < n_total and not ids:
        notes.append(f"this page holds the texts of {n_detail} of the {n_total} examples"
                     + (f" and lists {len(listed)}" if len(listed) < n_total else "")
                     + f" (a page is bounded to {limits.examples} examples with texts, {limits.rows} rows and about "
                     f"{limits.bytes // 1_000_000} MB): the extremes of every score and comparison first, then a "
                     "fixed random sample; `harness explore RUN_DIR --ids ID,...` writes a page of any others")
    data = {
        "title": " vs ".join((r.label or r.path).name for r in runs),
        "runs": [{"path": str(r.label or r.path), "signature": r.summary.get("signature", ""),
                  "data": r.config.get("data", ""), "n": len(r.ids)} for r in runs],
        "types": types,
        "multiref": runs[0].config.get("multiref", "max"),
        "systems": [{"name": s, "run": "AB"[r] if len(runs) > 1 else "",
                     "upper": s in (runs[r].config.get("upper_bound") or []),
                     "baseline": s == runs[r].config.get("baseline_system")} for r, s in systems],
        "n_total": n_total,
        "n_detail": n_detail,
        "sampled": n_detail < n_total and not ids,
        "notes": notes,
        "examples": [records[i] for i in data_order],
    }
    return Payload(data, n_total, n_detail, notes, [encoded[i] for i in data_order])
