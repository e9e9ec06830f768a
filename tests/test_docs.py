"""The manual: README.md and docs/*.md link only to files and headings that exist, and the site builds.

Anchors are checked against both rules for heading ids that readers meet:
GitHub's (README and docs read on the forge) and Python-Markdown's `toc`
slugify (the mkdocs site), so a link works in both places.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]

_FENCE = re.compile(r"^\s*(```|~~~)")
_INLINE_CODE = re.compile(r"`[^`]*`")
_LINK = re.compile(r"!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def _prose_lines(path: Path):
    """(line number, text) of the lines outside fenced code blocks, inline code removed."""
    fenced = False
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield n, _INLINE_CODE.sub("", line)


def _heading_text(raw: str) -> str:
    """A heading as its readers see it: link targets, emphasis and backticks dropped."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", raw)
    return text.replace("`", "").replace("*", "")


def github_slug(text: str) -> str:
    """GitHub's heading id: lower case, punctuation dropped, each space a hyphen."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def markdown_slug(text: str) -> str:
    """Python-Markdown's `toc.slugify` (mkdocs' default): ASCII, punctuation dropped, runs of spaces/hyphens one hyphen."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def anchors(path: Path) -> tuple[set[str], set[str]]:
    """The heading ids of a page under GitHub's rule and under Python-Markdown's, duplicates numbered as each does."""
    gh, md = set(), set()
    for _, line in _prose_lines(path):
        m = _HEADING.match(line)
        if not m:
            continue
        text = _heading_text(m.group(2))
        for slug, found, sep in ((github_slug(text), gh, "-"), (markdown_slug(text), md, "_")):
            unique, i = slug, 0
            while unique in found:
                i += 1
                unique = f"{slug}{sep}{i}"
            found.add(unique)
    return gh, md


def relative_links(path: Path):
    """(line number, target) of every link that is not a URL."""
    for n, line in _prose_lines(path):
        for target in _LINK.findall(line):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # http:, https:, mailto:
                continue
            yield n, target


def test_slug_rules():
    assert github_slug("The regression gate (harness check)") == "the-regression-gate-harness-check"
    assert markdown_slug("The regression gate (harness check)") == "the-regression-gate-harness-check"
    assert github_slug("a - b") == "a---b" and markdown_slug("a - b") == "a-b"  # where the two rules part
    assert _heading_text("Design: [`x`](y.md) and *z*") == "Design: x and z"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(page: Path):
    """Every relative link points to an existing file, and every #anchor to a heading of it."""
    problems = []
    cache: dict[Path, tuple[set[str], set[str]]] = {}
    for n, target in relative_links(page):
        file_part, _, anchor = target.partition("#")
        dest = (page.parent / file_part).resolve() if file_part else page
        where = f"{page.relative_to(ROOT)}:{n}: {target}"
        if not dest.exists():
            problems.append(f"{where}: no such file")
            continue
        if not anchor:
            continue
        if dest.suffix != ".md":
            problems.append(f"{where}: an anchor into a file that is not markdown")
            continue
        gh, md = cache.setdefault(dest, anchors(dest))
        if anchor not in gh or anchor not in md:
            side = "GitHub" if anchor not in gh else "mkdocs"
            problems.append(f"{where}: no heading with this id on {side} ({dest.name} has {sorted(gh & md)})")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_escaped_pipe_in_code(page: Path):
    """GitHub shows `a\\|b` in a table cell as a|b, mkdocs as a\\|b: write such choices without the pipe."""
    bad, fenced = [], False
    for n, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and any("\\|" in code for code in _INLINE_CODE.findall(line)):
            bad.append(f"{page.relative_to(ROOT)}:{n}")
    assert not bad, f"escaped pipe inside inline code: {bad}"


def test_every_page_is_in_the_site_navigation():
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    missing = [p.name for p in DOCS.glob("*.md") if not re.search(rf":\s*{re.escape(p.name)}\s*$", config, re.M)]
    assert not missing, f"docs pages not in mkdocs.yml's nav: {missing}"


def test_readme_links_every_page():
    """The README is the front door: each page of the manual is reachable from it."""
    linked = {(ROOT / t.partition("#")[0]).resolve() for _, t in relative_links(ROOT / "README.md")}
    missing = [p.name for p in DOCS.glob("*.md") if p.resolve() not in linked]
    assert not missing, f"README.md links none of: {missing}"


def _readme_block(heading: str) -> str:
    """The first fenced block under a README heading."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(rf"^## {re.escape(heading)}\n.*?^```[a-z]*\n(.*?)^```$", text, re.M | re.S)
    assert m, f"README.md has no code block under '## {heading}'"
    return m.group(1)


def test_readme_table_is_what_make_run_prints(tmp_path: Path, capsys):
    """The README's example table is the output of `harness run` as `make run` calls it, byte for byte
    (after an intended change of scores or of the signature, paste the new output in)."""
    from harness.cli import main

    assert main(["run", "--out", str(tmp_path / "run"), "--quiet"]) == 0
    assert capsys.readouterr().out == _readme_block("What `make run` prints")


def test_readme_notebook_snippet_runs_with_its_baseline(capsys):
    """The README's notebook example runs and its table has the baseline (systems are named by their
    whole spec, so a `lead:k=3` there would leave the table without significance marks)."""
    exec(compile(_readme_block("In a notebook"), "README.md: In a notebook", "exec"), {})
    out = capsys.readouterr().out
    assert "lead (baseline)" in out and "not in this run" not in out, out


def test_how_exact_rougelsum_statement():
    """docs/scoring.md#how-exact: ROUGE-N/L are rouge-score's under any split; ROUGE-Lsum is rouge-score's
    with --lsum-split newline, and under nupunkt only on texts rewritten one sentence per line."""
    import harness
    from harness.data import Corpus, Example, Reference
    from harness.sentences import split_sentences
    from rouge_score import rouge_scorer

    refs = ["The cat sat on the mat. Then the dog barked at it.", "A dog barked.\nThe cat sat still."]
    summary = ["The dog barked at the cat. The cat sat on a mat.", "It was warm."]  # two sentences on line 1
    corpus = Corpus("t", [Example("e1", "Source text. More of it.", [Reference(r) for r in refs])])
    want = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=True)
    raw = want.score_multi(refs, "\n".join(summary))
    split = "\n".join
    resplit = want.score_multi([split(split_sentences(r, "nupunkt")) for r in refs],
                               split(split_sentences("\n".join(summary), "nupunkt")))

    def scores(lsum_split):
        result = harness.score(corpus, {"s": {"e1": summary}}, lsum_split=lsum_split, bootstrap=0, cache=False)
        return {r["rouge_type"]: (r["precision"], r["recall"], r["fmeasure"]) for r in result.rows}

    newline, nupunkt = scores("newline"), scores("nupunkt")
    for t in ("rouge1", "rouge2", "rougeL"):
        assert newline[t] == nupunkt[t] == tuple(raw[t])
    assert newline["rougeLsum"] == tuple(raw["rougeLsum"])
    assert nupunkt["rougeLsum"] == tuple(resplit["rougeLsum"]) != tuple(raw["rougeLsum"])


def test_mkdocs_build_strict(tmp_path: Path):
    """The site builds with every warning (a broken link or anchor, a page left out of nav) an error."""
    pytest.importorskip("mkdocs", reason="mkdocs is not installed (the 'docs' extra)")
    pytest.importorskip("material", reason="mkdocs-material is not installed (the 'docs' extra)")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # Not --quiet: mkdocs 1.6 then drops the warnings before --strict counts them, and passes.
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict",
                           "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(tmp_path / "site")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    assert (tmp_path / "site" / "scoring" / "index.html").is_file()
