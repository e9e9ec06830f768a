"""The Porter stemmer as ROUGE-1.5.5 applies it with `-m`.

Porter (1980), "An algorithm for suffix stripping", with the two departures ROUGE-1.5.5 makes and
that change its numbers (both observed against the script): the reference implementation's
extensions of step 2 (`bli` -> `ble`, `logi` -> `log`) and a step 4 that tries its suffix groups one
after another on the word as the previous group left it: first the plain list (with `ement`, without
`ment` and `ent`), then `ment`, then `ent` or else `(s|t)ion` (so "agreement" -> "agreem"). A leading
`y` counts as a consonant. Measures m are computed on regular expressions over [aeiou] vowels with
`y` a vowel after a consonant, as the paper defines them.
"""
import re
from functools import lru_cache

_C = "[^aeiou][^aeiouy]*"  # a consonant sequence
_V = "[aeiouy][aeiou]*"  # a vowel sequence
_M_GT0 = re.compile(f"^({_C})?{_V}{_C}")
_M_EQ1 = re.compile(f"^({_C})?{_V}{_C}({_V})?$")
_M_GT1 = re.compile(f"^({_C})?{_V}{_C}{_V}{_C}")
_HAS_VOWEL = re.compile(f"^({_C})?[aeiouy]")
_CVC = re.compile(f"^{_C}[aeiouy][^aeiouwxy]$")

_STEP2 = {"ational": "ate", "tional": "tion", "enci": "ence", "anci": "ance", "izer": "ize", "bli": "ble",
          "alli": "al", "entli": "ent", "eli": "e", "ousli": "ous", "ization": "ize", "ation": "ate",
          "ator": "ate", "alism": "al", "iveness": "ive", "fulness": "ful", "ousness": "ous", "aliti": "al",
          "iviti": "ive", "biliti": "ble", "logi": "log"}
_STEP3 = {"icate": "ic", "ative": "", "alize": "al", "iciti": "ic", "ical": "ic", "ful": "", "ness": ""}


def _suffix_re(suffixes) -> re.Pattern:
    return re.compile("(" + "|".join(suffixes) + ")$")


_STEP2_RE = _suffix_re(_STEP2)
_STEP3_RE = _suffix_re(_STEP3)
_STEP4_RE = _suffix_re(["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ou", "ism", "ate",
                        "iti", "ous", "ive", "ize"])


def _step1(w: str) -> str:
    if (m := re.search("(ss|i)es$", w)) or (m := re.search("([^s])s$", w)):
        w = w[:m.start()] + m.group(1)
    if w.endswith("eed"):
        if _M_GT0.search(w[:-3]):
            w = w[:-1]
    elif m := re.search("(ed|ing)$", w):
        stem = w[:m.start()]
        if _HAS_VOWEL.search(stem):
            w = stem
            if re.search("(at|bl|iz)$", w):
                w += "e"
            elif re.search(r"([^aeiouylsz])\1$", w):
                w = w[:-1]
            elif _CVC.search(w):
                w += "e"
    if w.endswith("y") and _HAS_VOWEL.search(w[:-1]):
        w = w[:-1] + "i"
    return w


def _replace(w: str, pattern: re.Pattern, table: dict) -> str:
    if (m := pattern.search(w)) and _M_GT0.search(w[:m.start()]):
        return w[:m.start()] + table[m.group(1)]
    return w


def _strip_if_m_gt1(w: str, pattern: re.Pattern, keep: int = 0) -> str:
    if (m := pattern.search(w)) and _M_GT1.search(stem := w[:m.start() + keep]):
        return stem
    return w


def _step4(w: str) -> str:
    w = _strip_if_m_gt1(w, _STEP4_RE)
    w = _strip_if_m_gt1(w, re.compile("ment$"))
    if w.endswith("ent"):
        return _strip_if_m_gt1(w, re.compile("ent$"))
    return _strip_if_m_gt1(w, re.compile("(s|t)ion$"), keep=1)


def _step5(w: str) -> str:
    if w.endswith("e"):
        stem = w[:-1]
        if _M_GT1.search(stem) or (_M_EQ1.search(stem) and not _CVC.search(stem)):
            w = stem
    if w.endswith("ll") and _M_GT1.search(w):
        w = w[:-1]
    return w


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """`word` (lower-case) stemmed; words shorter than 3 characters come back as they are."""
    if len(word) < 3:
        return word
    initial_y = word[0] == "y"
    w = "Y" + word[1:] if initial_y else word
    w = _step5(_step4(_replace(_replace(_step1(w), _STEP2_RE, _STEP2), _STEP3_RE, _STEP3)))
    return "y" + w[1:] if initial_y else w
