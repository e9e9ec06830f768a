"""`harness rouge155 [ROUGE-1.5.5.pl arguments] CONFIG [SYSTEM]`, also installed as `rouge155` and
`ROUGE-1.5.5.pl`: reads what the script reads and prints what it prints."""
import sys

from ..errors import HarnessError
from . import output
from .api import Rouge155, counts
from .evals import check_readable, read_bytes, read_config, read_file_list
from .measures import EmptyModel
from .options import Options, parse, wants_help
from .resources import DEFAULT_EXCEPTIONS, EXCEPTIONS
from .text import read_units

USAGE = """usage: rouge155 [--exceptions wordnet-2.0|none] [ROUGE-1.5.5.pl options] CONFIG [SYSTEM-ID]

ROUGE-1.5.5 without Perl: the options of ROUGE-1.5.5.pl, its output byte for byte.
  -a            evaluate every peer in CONFIG (else SYSTEM-ID only)
  -c CF         confidence interval, percent (95)
  -d            print the per-evaluation scores
  -e DIR        accepted (the data ROUGE reads ships with the harness; see --exceptions)
  -b N | -l N   use only the first N bytes | words of every summary
  -m            stem (WordNet exception table, then Porter, tokens longer than 3 characters)
  -M            stem the models only (ROUGE-L, W, S)
  -n N          ROUGE-1 .. ROUGE-N
  -s            remove stop words (the SMART list)
  -r N          bootstrap samples (1000)
  -2 N          skip bigrams with gaps up to N (< 0: no limit), ROUGE-SN / ROUGE-S*
  -u | -U       skip bigrams with unigrams (SU) | both S and SU
  -w W          ROUGE-W-W, weighted LCS
  -x            no ROUGE-L
  -f A|B        pool counts over models (A) | best model (B)
  -p ALPHA      F = PR / ((1 - ALPHA) P + ALPHA R) (0.5)
  -t 0|1|2      average per summary | per token | print raw counts
  -z FORMAT     CONFIG is a list of "peer model1 model2 ..." lines in SEE|SPL|ISI
  -v            accepted
  --exceptions  the -m exception database: wordnet-2.0 (rebuilt from WordNet 2.0, default) or none
                (the empty database some copies ship: Porter alone)
Manual: docs/rouge155.md
"""


def _exceptions(argv: list) -> tuple:
    """(--exceptions value, the other arguments)."""
    out, choice, i = [], DEFAULT_EXCEPTIONS, 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--exceptions" or arg.startswith("--exceptions="):
            value = arg.partition("=")[2] if "=" in arg else (argv[i + 1] if i + 1 < len(argv) else "")
            i += 1 if "=" in arg else 2
            if value not in EXCEPTIONS:
                raise HarnessError(f"--exceptions wants one of {', '.join(EXCEPTIONS)}, got {value!r}")
            choice = value
            continue
        out.append(arg)
        i += 1
    return choice, out


def _plan(options: Options, rest: list) -> tuple:
    """(config path, peer ids to score or None for all, evaluations)."""
    if not rest:
        raise HarnessError("rouge155: give the ROUGE-EVAL config file (or use -h)")
    config = rest[0]
    if options.file_list:
        system = rest[1] if len(rest) > 1 else "X"
        return config, [system], read_file_list(config, options.file_list, system)
    if len(rest) == 1 and not options.all_systems:
        raise HarnessError("rouge155: give a system id to evaluate, or -a to evaluate all systems")
    evals, peer_ids = read_config(config)
    if len(rest) > 1:
        return config, [rest[1]], evals
    return config, sorted(peer_ids), evals


class _Reader:
    """Summaries read once per path (ROUGE rereads them for every peer and measure)."""

    def __init__(self, rouge: Rouge155):
        self.rouge, self.seen = rouge, {}

    def __call__(self, path: str, fmt: str, what: str):
        if (path, fmt) not in self.seen:
            self.seen[(path, fmt)] = self.rouge.read(read_units(read_bytes(path, what), fmt))
        return self.seen[(path, fmt)]


def score_peer(rouge: Rouge155, evals: list, peer: str, listed: bool, read, warn) -> dict:
    """{"<eval id>.<peer>": {measure: EvalScore}} for one peer over the evaluations that have it."""
    rows = {}
    for ev in evals:
        if peer not in ev.peers:
            warn(f"*ROUGE Warning: test instance for peer {peer} does not exist for evaluation {ev.id}")
            continue
        models = [read(path, ev.input_format, "model") for path in ev.model_paths(listed)]
        peer_reading = read(ev.peer_path(peer, listed), ev.input_format, "peer")
        try:
            scores = rouge.evaluate(peer_reading, models)
        except EmptyModel as e:
            raise HarnessError(f"EVAL {ev.id}, peer {peer}: {e}") from None
        rows.setdefault(f"{ev.id}.{peer}", scores)
    return rows


def report(rouge: Rouge155, peer: str, rows: dict) -> list:
    o, lines = rouge.options, []
    averages = rouge.aggregate(rows)
    for name in rouge.names:
        if o.counting == 2:
            lines += output.counts(peer, name, counts(rows, name))
        else:
            lines += output.averages(peer, name, averages[name], o.confidence)
        if o.per_eval:
            lines += output.per_eval(peer, name, rows, o.counting)
    return lines


def run(argv: list, stdout=None, stderr=None) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    exceptions, argv = _exceptions(argv)
    if wants_help(argv) or not argv:
        (stdout if argv else stderr).write(USAGE)
        return 0 if argv else 2
    options, rest = parse(argv)
    config, peers, evals = _plan(options, rest)
    for ev in evals:
        check_readable(ev, config)
    rouge = Rouge155(options, exceptions)
    read = _Reader(rouge)
    warned = set()

    def warn(message):
        if message not in warned:
            warned.add(message)
            stderr.write(message + "\n")
    lines = []
    for peer in peers:
        lines += report(rouge, peer, score_peer(rouge, evals, peer, bool(options.file_list), read, warn))
    stdout.write("".join(line + "\n" for line in lines))
    return 0


def main(argv: list | None = None) -> int:
    """Console-script entry (`rouge155`, `ROUGE-1.5.5.pl`): errors as one line on stderr, exit 2."""
    try:
        return run(sys.argv[1:] if argv is None else argv)
    except HarnessError as e:
        print(f"rouge155: error: {e}", file=sys.stderr)
        return e.exit_code
