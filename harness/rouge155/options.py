"""ROUGE-1.5.5.pl's command-line options, parsed as its getopts('ahHb:c:de:f:l:mMn:p:st:r:2:3:w:uUvxz:')
reads them (bundling `-am`, values attached `-n4` or separate `-n 4`), with the checks the script makes
and a clear error (exit 2) naming the option where it would warn and go on or fail later."""
import re
from dataclasses import dataclass

from ..errors import HarnessError

FLAGS = set("ahHdmMsuUvx")
VALUED = set("bcefl" "npt" "r23wz")
FORMATS = ("SEE", "SPL", "ISI", "SIMPLE")


class OptionError(HarnessError):
    """An option string ROUGE-1.5.5 (or this implementation of it) cannot run."""


@dataclass(frozen=True)
class Options:
    """What one ROUGE-1.5.5 run computes. Strings that ROUGE prints as typed stay strings
    (`confidence`, `weight`, `skip`): "-w 1.20" prints ROUGE-W-1.20."""
    ngram: int = 0              # -n: ROUGE-1..N (0: none)
    lcs: bool = True            # not -x
    weight: str | None = None   # -w: ROUGE-W-<weight>
    skip: str | None = None     # -2: ROUGE-S<skip> (negative: ROUGE-S*)
    unigrams: str = ""          # "" (S only), "u" (SU only), "U" (S, then SU)
    stem: bool = False          # -m
    stem_models: bool = False   # -M: stem the models only (ROUGE-L, W, S; not ROUGE-N)
    stopwords: bool = False     # -s
    length_limit: int = 0       # -l words
    byte_limit: int = 0         # -b bytes
    formula: str = "A"          # -f A (pooled over models) | B (best model)
    alpha: float = 0.5          # -p
    counting: int = 0           # -t: 0 per summary, 1 per token, 2 raw counts
    confidence: str = "95"      # -c
    resamples: int = 1000       # -r
    all_systems: bool = False   # -a
    per_eval: bool = False      # -d
    home: str | None = None     # -e (accepted; the data ships with the package)
    file_list: str | None = None  # -z FORMAT: the config is a list of "peer model..." lines
    verbose: bool = False       # -v (accepted; ROUGE's debugging dump is not reproduced)

    @property
    def skip_distance(self) -> int | None:
        return None if self.skip is None else int(self.skip)


def split_args(argv: list[str]) -> tuple[dict, list[str]]:
    """getopts: options up to the first non-option or "--"; returns ({letter: value or True}, rest)."""
    seen, i = {}, 0
    while i < len(argv) and argv[i].startswith("-") and argv[i] != "-":
        arg = argv[i]
        i += 1
        if arg == "--":
            break
        j = 1
        while j < len(arg):
            letter = arg[j]
            if letter in FLAGS:
                seen[letter] = True
                j += 1
            elif letter in VALUED:
                value = arg[j + 1:]
                if not value:
                    if i >= len(argv):
                        raise OptionError(f"ROUGE-1.5.5 option -{letter} needs a value")
                    value, i = argv[i], i + 1
                seen[letter] = value
                break
            else:
                raise OptionError(f"unknown ROUGE-1.5.5 option -{letter} (in {arg!r})")
    return seen, argv[i:]


def _int(seen: dict, letter: str, low: int | None = 0) -> int:
    value = seen[letter]
    if not re.fullmatch(r"[+-]?\d+", value) or (low is not None and int(value) < low):
        bound = "" if low is None else f" >= {low}"
        raise OptionError(f"ROUGE-1.5.5 option -{letter} wants an integer{bound}, got {value!r}")
    return int(value)


def _number(seen: dict, letter: str) -> float:
    value = seen[letter]
    try:
        return float(value)
    except ValueError:
        raise OptionError(f"ROUGE-1.5.5 option -{letter} wants a number, got {value!r}") from None


def _refuse(seen: dict) -> None:
    if "3" in seen:
        raise OptionError("ROUGE-1.5.5 option -3 (Basic Element scoring) is not supported: it needs BE files")
    if "l" in seen and "b" in seen:
        raise OptionError("ROUGE-1.5.5 options -l and -b: give a length limit in words or in bytes, not both")
    if "m" in seen and "M" in seen:
        raise OptionError("ROUGE-1.5.5 options -m and -M together are not supported (ROUGE turns -m off "
                          "after the first model it stems with -M)")


def _checked(seen: dict) -> dict:
    out = {}
    if "c" in seen and not 0 <= _number(seen, "c") <= 100:
        raise OptionError(f"ROUGE-1.5.5 option -c wants 0 <= CF <= 100, got {seen['c']!r}")
    if "w" in seen and not _number(seen, "w") > 0:
        raise OptionError(f"ROUGE-1.5.5 option -w wants a weight > 0, got {seen['w']!r}")
    if "p" in seen:
        out["alpha"] = _number(seen, "p")
        if not 0 <= out["alpha"] <= 1:
            raise OptionError(f"ROUGE-1.5.5 option -p wants 0 <= alpha <= 1, got {seen['p']!r}")
    if "f" in seen and seen["f"] not in ("A", "B"):
        raise OptionError(f"ROUGE-1.5.5 option -f wants A or B, got {seen['f']!r}")
    if "z" in seen and seen["z"].upper() not in FORMATS:
        raise OptionError(f"ROUGE-1.5.5 option -z wants one of {'|'.join(FORMATS)}, got {seen['z']!r}")
    if "t" in seen:
        out["counting"] = _int(seen, "t")
        if out["counting"] not in (0, 1, 2):
            raise OptionError(f"ROUGE-1.5.5 option -t wants 0, 1 or 2, got {seen['t']!r}")
    if "2" in seen:
        _int(seen, "2", low=None)
    return out


def parse(argv: list[str]) -> tuple[Options, list[str]]:
    """(Options, the remaining arguments) from ROUGE-1.5.5.pl arguments; OptionError when ROUGE cannot run them."""
    seen, rest = split_args(argv)
    _refuse(seen)
    checked = _checked(seen)
    return Options(
        ngram=_int(seen, "n") if "n" in seen else 0, lcs="x" not in seen, weight=seen.get("w"),
        skip=seen.get("2"), unigrams="u" if "u" in seen else ("U" if "U" in seen else ""),
        stem="m" in seen, stem_models="M" in seen, stopwords="s" in seen,
        length_limit=_int(seen, "l") if "l" in seen else 0, byte_limit=_int(seen, "b") if "b" in seen else 0,
        formula=seen.get("f", "A"), alpha=checked.get("alpha", 0.5), counting=checked.get("counting", 0),
        confidence=seen.get("c", "95"), resamples=_int(seen, "r", low=1) if "r" in seen else 1000,
        all_systems="a" in seen and "z" not in seen, per_eval="d" in seen, home=seen.get("e"),
        file_list=seen.get("z"), verbose="v" in seen,
    ), rest


def parse_string(text: str) -> Options:
    """Options from an option string as papers and pyrouge give it ("-c 95 -2 -1 -U -r 1000 -n 4 -w 1.2 -a -m")."""
    options, rest = parse(text.split())
    if rest:
        raise OptionError(f"ROUGE-1.5.5 option string {text!r}: {rest[0]!r} is not an option")
    return options


def wants_help(argv: list[str]) -> str | None:
    """"h" or "H" when the arguments ask for ROUGE's usage text."""
    seen, _ = split_args([a for a in argv])
    return "H" if "H" in seen else ("h" if "h" in seen else None)
