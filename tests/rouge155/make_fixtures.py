"""Write tests/rouge155/oracle_cases.json.gz: generated adversarial summaries and what ROUGE-1.5.5.pl
printed for them (development only; needs perl, XML::DOM and a ROUGE-1.5.5 folder).

    ROUGE155_ORACLE=/path/to/ROUGE-1.5.5 python tests/rouge155/make_fixtures.py

The folder must hold ROUGE-1.5.5.pl, `data/` (WordNet-2.0.exc.db rebuilt from the .exc lists) and
`data_none/` (the same with an empty WordNet-2.0.exc.db). Nothing of the script is committed: only
the inputs generated here and the text it printed.
"""
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "oracle_cases.json.gz"

# word material aimed at the tokenizer, the stemmer (Porter's steps, ROUGE's step 4, short tokens)
# and the exception table; none of it is evaluation text
STEMS = ["nation", "relate", "condition", "general", "hop", "agree", "cares", "pony", "sky", "yell", "happy",
         "adjust", "depend", "communicate", "electric", "hope", "formal", "sensitive", "rational", "digit",
         "analog", "fulfil", "goodness", "yes", "yield", "bus", "gas", "sing", "fly", "ski", "radi", "tri"]
SUFFIXES = ["", "s", "es", "ies", "ed", "ing", "ly", "ness", "ment", "ement", "ent", "ion", "ation", "ational",
            "izer", "ization", "ful", "fulness", "iveness", "ical", "icate", "ity", "ism", "able", "ible", "al",
            "ance", "ence", "er", "ous", "ive", "ize", "ate", "bli", "logi", "alli", "eli", "y", "e", "ll"]
EXCEPTION_WORDS = ["better", "best", "is", "was", "were", "children", "mice", "geese", "went", "gone", "ran",
                   "testes", "offer", "involucra", "leaves", "axes", "bases", "data", "feet", "teeth", "worse"]
ODD = ["don't", "it's", "o'clock", "rock'n'roll", "G-8", "e-mail", "--", "-", "$100", "$", "3.14", "1,000",
       "1990s", "24/7", "U.S.A.", "?!?", "...", "(x)", "[y]", "a/b", "#tag", "@user", "50%", "café", "naïve",
       "Zürich", "—", "€5", "日本", "\u00a0", "x\u0085y", "A", "I", "THE", "The", "Co-operation", "re-elect"]
COMMON = ["the", "a", "of", "and", "to", "in", "is", "that", "it", "was", "for", "on", "are", "with", "as",
          "be", "at", "by", "this", "have", "from", "or", "one", "had", "not", "but", "what", "all", "were"]
PLAIN = ["nation", "condition", "electric", "digit", "analog"]  # no stop word, no exception
SEPARATORS = [" ", " ", " ", " ", "  ", "\t", " \x0b ", "\x0c", "\r "]


def word(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.35:
        return rng.choice(COMMON)
    if kind < 0.7:
        w = rng.choice(STEMS) + rng.choice(SUFFIXES)
    elif kind < 0.8:
        w = rng.choice(EXCEPTION_WORDS)
    else:
        w = rng.choice(ODD)
    return w.upper() if rng.random() < 0.1 else (w.capitalize() if rng.random() < 0.15 else w)


def line(rng: random.Random, pool: list) -> str:
    roll = rng.random()
    if roll < 0.04:
        return ""
    if roll < 0.07:
        return rng.choice(["   ", "\t", "...", "--", "$", "\r"])
    n = rng.choice([1, 2, 3, 5, 8, 12, 20]) if rng.random() < 0.985 else rng.randrange(100, 260)
    words = [rng.choice(pool) if pool and rng.random() < 0.5 else word(rng) for _ in range(n)]
    if rng.random() < 0.1:
        words = words[:2] * (n // 2 + 1)  # repeated tokens
    text = words[0] if words else ""
    for w in words[1:]:
        text += rng.choice(SEPARATORS) + w
    if rng.random() < 0.1:
        text = " " + text  # a leading blank: Perl's split keeps an empty first field (-l counts it)
    return text + rng.choice(["", "", ".", "!", " ?", "..", " "])


def summary(rng: random.Random, pool: list, empty_ok: bool) -> list:
    if empty_ok and rng.random() < 0.03:
        return []
    return [line(rng, pool) for _ in range(rng.choice([1, 1, 2, 3, 4, 6]))]


def evaluations(rng: random.Random, count: int, empty_ok: bool, peers=("p1", "p2")) -> list:
    out = []
    for number in range(1, count + 1):
        pool = [word(rng) for _ in range(12)]  # shared words, so summaries overlap
        models = [summary(rng, pool, empty_ok) for _ in range(rng.choice([1, 1, 2, 3, 4, 5, 8, 11]))]
        if not empty_ok:  # ROUGE-W dies on a model without tokens: start every model with a plain word
            models = [[rng.choice(PLAIN) + " " + (m[0] if m else "")] + m[1:] for m in models]
        present = [p for p in peers if rng.random() < 0.95] or [peers[0]]
        out.append({"id": str(number) if rng.random() < 0.8 else f"d{number}",
                    "peers": {p: summary(rng, pool, True) for p in present}, "models": models})
    return out


# (options, exception databases, number of evaluations, empty models allowed, input format)
BATCHES = [
    ("-c 95 -2 -1 -U -r 1000 -n 4 -w 1.2 -a -d", ("wordnet-2.0",), 250, False, "SPL"),
    ("-c 95 -2 -1 -U -r 1000 -n 4 -w 1.2 -a -d -m", ("wordnet-2.0", "none"), 250, False, "SPL"),
    ("-n 2 -2 4 -u -x -d -a -f B -p 0.3 -m", ("wordnet-2.0",), 200, True, "SPL"),
    ("-n 3 -w 1.5 -2 0 -U -l 12 -d -a -s", ("wordnet-2.0",), 200, False, "SPL"),
    ("-n 2 -b 60 -2 2 -U -w 1.2 -d -a -m -s", ("wordnet-2.0", "none"), 200, False, "SPL"),
    ("-n 2 -t 1 -w 1.2 -2 4 -U -d -a -r 200 -c 90", ("wordnet-2.0",), 150, False, "SPL"),
    ("-n 2 -t 2 -2 -1 -U -d -a -w 1.2", ("wordnet-2.0",), 150, False, "SPL"),
    ("-n 4 -f B -w 1.2 -2 -1 -U -d -a -r 10 -c 99 -m", ("wordnet-2.0",), 200, False, "SPL"),
    ("-n 2 -M -2 4 -U -w 1.2 -d -a", ("wordnet-2.0",), 150, False, "SPL"),
    ("-n 2 -l 5 -f B -d -a -m -p 1", ("wordnet-2.0",), 150, True, "SPL"),
    ("-n 1 -b 1 -d -a -p 0 -2 1 -U", ("wordnet-2.0",), 100, True, "SPL"),
    ("-c 0 -r 1 -n 1 -a -d", ("wordnet-2.0",), 60, True, "SPL"),
    ("-c 100 -r 7 -n 2 -w 2 -a -d -m", ("wordnet-2.0",), 100, False, "SEE"),
    ("-n 2 -l 30 -w 1.2 -2 3 -u -a -d -m -s", ("wordnet-2.0",), 150, False, "ISI"),
]


def write_inputs(root: Path, evals: list, fmt: str) -> Path:
    """Summary files and a ROUGE-EVAL config; texts are written as UTF-8 bytes."""
    def body(lines):
        if fmt == "SPL":
            return "".join(t + "\n" for t in lines)
        if fmt == "ISI":
            return "".join(f'<S SNTNO="{i}">{t.replace("<", " ")}</S>\n' for i, t in enumerate(lines, 1))
        return "<html>\n<body>\n" + "".join(f'<a name="{i}">[{i}]</a> <a href="#{i}" id={i}>{t.replace("<", " ")}</a>\n'
                                            for i, t in enumerate(lines, 1)) + "</body>\n</html>\n"
    xml = ['<ROUGE_EVAL version="1.5.5">']
    for ev in evals:
        xml.append(f'<EVAL ID="{ev["id"]}"><PEER-ROOT>{root}</PEER-ROOT><MODEL-ROOT>{root}</MODEL-ROOT>'
                   f'<INPUT-FORMAT TYPE="{fmt}"></INPUT-FORMAT><PEERS>')
        for pid, lines in ev["peers"].items():
            (root / f'{ev["id"]}.{pid}').write_bytes(body(lines).encode("utf-8"))
            xml.append(f'<P ID="{pid}">{ev["id"]}.{pid}</P>')
        xml.append("</PEERS><MODELS>")
        for i, lines in enumerate(ev["models"]):
            (root / f'{ev["id"]}.m{i}').write_bytes(body(lines).encode("utf-8"))
            xml.append(f'<M ID="m{i}">{ev["id"]}.m{i}</M>')
        xml.append("</MODELS></EVAL>")
    xml.append("</ROUGE_EVAL>")
    config = root / "config.xml"
    config.write_text("\n".join(xml) + "\n")
    return config


def oracle(home: str, options: str, exceptions: str, config: Path) -> str:
    data = f"{home}/data" if exceptions == "wordnet-2.0" else f"{home}/data_none"
    run = subprocess.run(["perl", f"{home}/ROUGE-1.5.5.pl", "-e", data, *options.split(), str(config)],
                         capture_output=True, check=True)
    return run.stdout.decode("latin-1")


def main() -> int:
    home = os.environ.get("ROUGE155_ORACLE")
    if not home:
        print("set ROUGE155_ORACLE to a ROUGE-1.5.5 folder (see the docstring)", file=sys.stderr)
        return 2
    rng = random.Random(1552004)
    batches = []
    cache = Path(tempfile.gettempdir()) / "rouge155-fixtures"
    cache.mkdir(exist_ok=True)
    for number, (options, databases, count, empty_ok, fmt) in enumerate(BATCHES):
        evals = evaluations(rng, count, empty_ok)
        with tempfile.TemporaryDirectory() as tmp:
            config = write_inputs(Path(tmp), evals, fmt)
            for exceptions in databases:
                done = cache / f"{number}-{exceptions}.txt"  # a rerun after a failure keeps what was done
                if not done.exists():
                    done.write_text(oracle(home, options, exceptions, config), encoding="latin-1")
                batches.append({"options": options, "exceptions": exceptions, "format": fmt, "evals": evals,
                                "output": done.read_text(encoding="latin-1")})
                print(f"{options} [{exceptions}]: {count} evaluations", file=sys.stderr)
    with gzip.open(OUT, "wt", encoding="utf-8") as f:
        json.dump({"generator": "tests/rouge155/make_fixtures.py", "seed": 1552004, "batches": batches}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
