"""ROUGE-1.5.5 from Python: `Rouge155("-c 95 -2 -1 -U -r 1000 -n 4 -w 1.2 -a -m").score(peer, models)`.

Summaries are lists of lines, each line one unit (sentence), as ROUGE's SPL input reads them.
`score` gives one evaluation's (recall, precision, f) per measure, named as ROUGE prints them;
`aggregate` gives ROUGE's averages and bootstrap intervals over evaluations, exactly as it prints them.
"""
from typing import NamedTuple

from ..errors import HarnessError
from . import measures, resample
from .measures import EvalScore, Summary, read_summary
from .options import Options, parse_string
from .resources import DEFAULT_EXCEPTIONS, exceptions as exception_table, stopwords as stopword_list
from .text import Tokenizer, units_from_lines


class Score(NamedTuple):
    recall: float
    precision: float
    f: float


class Reading(NamedTuple):
    """One summary read every way the measures need it."""
    plain: Summary    # stemmed with -m only
    stemmed: Summary  # stemmed with -m or -M (what -M applies to models)


def measure_names(options: Options) -> list:
    """The measures a run computes, in the order ROUGE prints them."""
    names = [f"ROUGE-{n}" for n in range(1, options.ngram + 1)]
    names += ["ROUGE-L"] if options.lcs else []
    names += [f"ROUGE-W-{options.weight}"] if options.weight is not None else []
    if options.skip is not None:
        tag = options.skip if options.skip_distance >= 0 else "*"
        names += {"u": [f"ROUGE-SU{tag}"], "U": [f"ROUGE-S{tag}", f"ROUGE-SU{tag}"]}.get(
            options.unigrams, [f"ROUGE-S{tag}"])
    return names


class Rouge155:
    """ROUGE-1.5.5 with `options` (a string or Options) and an exception database for -m
    ("wordnet-2.0", the rebuilt WordNet-2.0.exc.db, or "none", the empty one some copies ship)."""

    def __init__(self, options="-n 4 -w 1.2 -2 4 -U", exceptions: str = DEFAULT_EXCEPTIONS):
        self.options = parse_string(options) if isinstance(options, str) else options
        self.exceptions = exceptions
        table = exception_table(exceptions)
        stop = stopword_list() if self.options.stopwords else frozenset()
        self._plain = Tokenizer(self.options.stem, table, stop)
        self._stemmed = Tokenizer(self.options.stem or self.options.stem_models, table, stop)
        self.names = measure_names(self.options)
        self._vocabulary: dict = {}  # token -> id for the C kernels, shared by every summary read

    def read(self, units: list) -> Reading:
        """A summary's units (bytes, lower-cased, as text.read_units gives them) read for scoring."""
        plain = read_summary(units, self._plain, self.options, self._vocabulary)
        stemmed = read_summary(units, self._stemmed, self.options, self._vocabulary) if self.options.stem_models \
            else plain
        return Reading(plain, stemmed)

    def evaluate(self, peer: Reading, models: list) -> dict:
        """{measure name: EvalScore} of one peer against its models (Readings)."""
        o, out = self.options, {}
        p = peer.plain
        for n in range(1, o.ngram + 1):
            out[f"ROUGE-{n}"] = measures.gram_score([measures.ngram_counts(p, m.plain, n) for m in models],
                                                    o.alpha, o.formula)
        if o.lcs:
            out["ROUGE-L"] = measures.lcs_score(p, [m.stemmed for m in models], o.alpha, o.formula)
        if o.weight is not None:
            # ROUGE-W stems a -M model's unigram counts but not its units
            mixed = [Summary(m.stemmed.tokens, m.plain.units, m.stemmed.ids, m.plain.unit_ids) for m in models]
            out[f"ROUGE-W-{o.weight}"] = measures.wlcs_score(p, mixed, o.alpha, o.formula, float(o.weight))
        if o.skip is not None:
            out.update(self._skip(p, models))
        return out

    def _skip(self, peer: Summary, models: list) -> dict:
        o = self.options
        out = {}
        for name in self.names:
            if name.startswith("ROUGE-S"):
                unigrams = name.startswith("ROUGE-SU")
                counts = [measures.skip_counts(peer, m.stemmed, o.skip_distance, unigrams) for m in models]
                out[name] = measures.gram_score(counts, o.alpha, o.formula)
        return out

    def score(self, peer_lines: list, model_lines: list) -> dict:
        """{measure name: Score(recall, precision, f)} of one summary (a list of lines) against its
        references (a list of such lists)."""
        if not model_lines:
            raise HarnessError("ROUGE-1.5.5 needs at least one model (reference) summary")
        peer = self.read(units_from_lines(peer_lines))
        models = [self.read(units_from_lines(m)) for m in model_lines]
        return {name: Score(*s[:3]) for name, s in self.evaluate(peer, models).items()}

    def aggregate(self, rows: dict) -> dict:
        """{measure name: resample.Averages} over {evaluation key: {measure name: EvalScore}}, the keys
        ordered as ROUGE orders them (as strings). With -t 2 there are no averages (ROUGE prints the
        summed counts): use `counts`."""
        o = self.options
        keys = sorted(rows)
        out = {}
        for name in self.names:
            scores = [rows[k][name] for k in keys]
            if o.counting == 1:
                out[name] = resample.per_token([(s.model_count, s.peer_count, s.hit) for s in scores],
                                               o.resamples, float(o.confidence), o.alpha)
            elif o.counting == 0:
                out[name] = resample.per_summary([s[:3] for s in scores], o.resamples, float(o.confidence))
        return out


def counts(rows: dict, name: str) -> tuple:
    """-t 2: the summed (model, peer, hit) counts ROUGE prints, each truncated to an integer."""
    scores = [rows[k][name] for k in sorted(rows)]
    model = peer = hit = 0
    for s in scores:
        model, peer, hit = model + s.model_count, peer + s.peer_count, hit + s.hit
    return int(model), int(peer), int(hit)



def corpus_averages(rouge: Rouge155, rows) -> dict:
    """ROUGE-1.5.5's own averages and intervals of a harness run, from its scores.jsonl rows (one
    evaluation per example and system, keyed "<example id>.<system>" as the script keys them):
    {system: {measure: {"R": [average, low, high], "P": [...], "F": [...]}}}. Failed rows are left out."""
    by_system: dict = {}
    for r in rows:
        if r["fmeasure"] is None:
            continue
        scores = by_system.setdefault(r["system"], {}).setdefault(f"{r['id']}.{r['system']}", {})
        scores[r["rouge_type"]] = EvalScore(r["recall"], r["precision"], r["fmeasure"], 0, 0, 0)
    out = {}
    for system, evals in by_system.items():
        complete = {k: v for k, v in evals.items() if all(name in v for name in rouge.names)}
        averages = rouge.aggregate(complete)
        out[system] = {name: {label: list(iv) for label, iv in zip("RPF", averages[name])} for name in rouge.names}
    return out
