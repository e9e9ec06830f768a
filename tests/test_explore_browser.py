"""examples.html in a real browser (headless Chromium): loads, shows, marks, sorts, filters, stays inert.

Skipped where chromium, chromium-driver or selenium are missing (see tests/_browser.py).
"""
from __future__ import annotations

from collections import Counter

import pytest

import harness
from harness.cli import main
from harness.data import Corpus, Example, Reference
from harness.explore import marks
from harness.pipeline import run
from harness.run_folder import RunSummaries
from harness.scoring import Scorer
from harness.scoring.engine import Engine
from harness.scoring.backend import get_tokenizer

from _browser import console_errors, start, stop
from _runs import Named, lead

TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
EVIL = "<img src=x onerror=\"window.__pwned=1\">"
EVIL_SCRIPT = "</script><script>window.__pwned=2</script><!--"


@pytest.fixture(scope="module")
def browser():
    b = start()
    yield b
    stop(b)


@pytest.fixture(scope="module")
def interview_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("explore") / "run"
    run(harness.load("interview"), ["lead", "textrank", "oracle"], out=out, executor="serial")
    assert (out / "examples.html").is_file()
    return out


def open_page(browser, path, fragment: str = ""):
    browser.get(path.resolve().as_uri() + fragment)
    browser.execute_script("return document.readyState")
    return browser


def js(browser, script: str, *args):
    return browser.execute_script(script, *args)


def list_ids(browser) -> list[str]:
    return js(browser, "return [...document.querySelectorAll('#list tbody td.id')].map(td => td.textContent)")


def column(browser, k: int) -> list[float]:
    cells = js(browser, "return [...document.querySelectorAll('#list tbody tr')].map(tr => tr.children[arguments[0]].textContent)", k)
    return [float(c) for c in cells]


def test_page_loads_from_file_without_errors_and_shows_an_example(browser, interview_run):
    open_page(browser, interview_run / "examples.html")
    assert console_errors(browser) == []
    corpus = harness.load("interview")
    assert list_ids(browser) == [ex.id for ex in corpus]
    rows = browser.find_elements("css selector", "#list tbody tr")
    rows[2].click()
    ex = corpus[2]
    assert browser.find_element("id", "exid").text == ex.id
    shown = js(browser, "return document.querySelector('#source .source').textContent")
    assert shown == ex.source
    assert js(browser, "return document.querySelector('#source .question').textContent") == "Question: " + ex.question
    refs = js(browser, "return [...document.querySelectorAll('#refs .text')].map(e => e.textContent)")
    assert refs == ex.reference_texts
    summaries = RunSummaries(interview_run)
    texts = js(browser, "return [...document.querySelectorAll('#systems .text')].map(e => e.textContent)")
    assert texts == ["\n".join(summaries[s][ex.id]) for s in ("lead", "textrank", "oracle")]
    # lead is extractive: its sentences are highlighted in the source
    chosen = js(browser, "return [...document.querySelectorAll('#source .chosen')].map(e => e.textContent)")
    assert chosen == list(summaries["lead"][ex.id])
    assert console_errors(browser) == []


def _counted(engine: Engine, prepare, ref: str, summary: str) -> list[int]:
    return [s[0] for s in engine.stats(engine.text(prepare(ref)), engine.text(prepare(summary)))]


def _is_subsequence(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(any(t == u for u in it) for t in small)


def test_marks_are_the_tokens_the_engine_counted(browser, interview_run):
    """For every example, system, reference and ROUGE type of the page, the <mark>s of each summary."""
    open_page(browser, interview_run / "examples.html")
    corpus = harness.load("interview")
    scorer = Scorer()  # the run's settings: the defaults
    tok = get_tokenizer("rouge-score", True)
    engine = Engine(TYPES, tok)
    summaries = RunSummaries(interview_run)
    systems = ["lead", "textrank", "oracle"]
    checked = 0
    for i, ex in enumerate(corpus):
        js(browser, "document.querySelectorAll('#list tbody tr')[arguments[0]].click()", i)
        js(browser, "const s = document.getElementById('refsel'); s.value = 'best'; s.dispatchEvent(new Event('change'))")
        for t, rouge_type in enumerate(TYPES):  # by default each summary is marked against its best reference
            js(browser, "[...document.querySelectorAll('#modes button')][arguments[0]].click()", t)
            shown = js(browser, "return [...document.querySelectorAll('#systems .against')].map(e => e.textContent)")
            for s, system in enumerate(systems):
                summary = "\n".join(summaries[system][ex.id])
                f = [Engine([rouge_type], tok).score(scorer.prepare(ref), scorer.prepare(summary))[rouge_type][2]
                     for ref in ex.reference_texts]
                best = f.index(max(f))  # the first of the highest F: rouge-score's max rule
                assert shown[s] == f"{rouge_type} marks against reference {best + 1} (its best match)"
        for r, ref in enumerate(ex.reference_texts):
            js(browser, "const s = document.getElementById('refsel'); s.value = arguments[0];"
                        "s.dispatchEvent(new Event('change'))", str(r))
            ref_tokens = marks.scored_tokens(tok, scorer.prepare(ref))
            for t, rouge_type in enumerate(TYPES):
                js(browser, "[...document.querySelectorAll('#modes button')][arguments[0]].click()", t)
                marked = js(browser, "return [...document.querySelectorAll('#systems .card')].map(c => "
                                     "[...c.querySelectorAll('.text mark')].map(m => m.textContent))")
                at = js(browser, "return [...document.querySelectorAll('#systems .card')].map(c => "
                                 "[...c.querySelectorAll('.text mark')].map(m => +m.dataset.i))")
                ref_at = js(browser, "return [...document.querySelectorAll('#refs .card')][arguments[0]]"
                                     ".querySelectorAll('.text mark').length === 0 ? [] : "
                                     "[...[...document.querySelectorAll('#refs .card')][arguments[0]]"
                                     ".querySelectorAll('.text mark')].map(m => +m.dataset.i)", r)
                for s, system in enumerate(systems):
                    summary = "\n".join(summaries[system][ex.id])
                    hits = _counted(engine, scorer.prepare, ref, summary)[t]
                    words = [w for m in marked[s] for w in tok.tokens(m)]
                    assert all(len(tok.tokens(m)) == 1 for m in marked[s])  # one mark, one token
                    sum_tokens = marks.scored_tokens(tok, scorer.prepare(summary))
                    # the page's pairs are harness.explore.marks' pairs, on both sides (the reference's
                    # marks follow the first system, the one in focus)
                    pairs = marks.pairs_for(rouge_type, sum_tokens, ref_tokens)
                    n = 2 if rouge_type == "rouge2" else 1
                    assert at[s] == sorted({p + k for p in pairs[0::2] for k in range(n)})
                    if s == 0:
                        assert ref_at == sorted({p + k for p in pairs[1::2] for k in range(n)})
                    if rouge_type == "rouge1":  # the clipped intersection, stems included
                        assert Counter(words) == Counter(sum_tokens.flat) & Counter(ref_tokens.flat)
                        assert len(words) == hits
                    elif rouge_type == "rouge2":  # every token of a matched bigram, and the bigrams are the hits
                        pairs = marks.ngram_pairs(sum_tokens, ref_tokens, 2)
                        assert len(pairs) // 2 == hits
                        covered = sorted({p + k for p in pairs[0::2] for k in (0, 1)})
                        assert words == [sum_tokens.flat[p] for p in covered]
                    else:  # rougeL: a common subsequence as long as the LCS; rougeLsum: the union LCS hits
                        assert len(words) == hits
                        if rouge_type == "rougeL":
                            assert _is_subsequence(words, ref_tokens.flat)
                    checked += 1
    assert checked == sum(len(ex.references) for ex in corpus) * len(TYPES) * len(systems)
    assert console_errors(browser) == []


def test_hovering_a_mark_shows_the_reference_words_it_matched(browser, interview_run):
    from selenium.webdriver.common.action_chains import ActionChains

    open_page(browser, interview_run / "examples.html")
    mark = browser.find_element("css selector", "#systems .card[data-system='1'] .text mark")
    assert mark.get_attribute("title").startswith("matches “")
    ActionChains(browser).move_to_element(mark).perform()
    lit = js(browser, "return [...document.querySelectorAll('#refs mark.hl')].map(m => m.textContent)")
    assert lit
    tok = get_tokenizer("rouge-score", True)
    assert tok.tokens(lit[0]) == tok.tokens(mark.text)  # rouge1: the same stemmed token
    assert "marked against textrank" in browser.find_element("id", "refs").text
    ActionChains(browser).move_to_element(browser.find_element("id", "title")).perform()
    assert js(browser, "return document.querySelectorAll('#refs mark.hl').length") == 0


def test_sorting_and_filtering(browser, interview_run):
    open_page(browser, interview_run / "examples.html")
    header = browser.find_elements("css selector", "#list thead th")[2]  # lead
    header.click()
    values = column(browser, 2)
    assert values == sorted(values, reverse=True) and len(values) == 6
    browser.find_elements("css selector", "#list thead th")[2].click()
    assert column(browser, 2) == sorted(values)
    browser.find_elements("css selector", "#list thead th")[1].click()  # by id
    assert list_ids(browser) == sorted(list_ids(browser))

    box = browser.find_element("id", "idq")
    box.send_keys("q3")
    assert list_ids(browser) == ["lavrov-2018-12-24:q3"]
    box.clear()
    js(browser, "document.getElementById('idq').dispatchEvent(new Event('input'))")
    assert len(list_ids(browser)) == 6

    corpus = harness.load("interview")
    word = "Argentina"  # in one question of the bundled interview
    want = [ex.id for ex in corpus if any(word.lower() in t.lower() for t in
                                           [ex.id, ex.question or "", ex.source, *ex.reference_texts])]
    browser.find_element("id", "textq").send_keys(word)
    got = list_ids(browser)
    assert set(want) <= set(got) and got
    browser.find_element("id", "textq").clear()
    js(browser, "document.getElementById('textq').dispatchEvent(new Event('input'))")

    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", "fsys")).select_by_visible_text("lead")
    threshold = sorted(values)[3]
    browser.find_element("id", "fmin").send_keys(str(threshold))
    kept = column(browser, 2)
    assert kept and all(v >= threshold for v in kept) and len(kept) == sum(v >= threshold for v in values)
    assert console_errors(browser) == []


def test_two_systems_compared_by_largest_gain_and_loss(browser, interview_run):
    from selenium.webdriver.support.ui import Select

    open_page(browser, interview_run / "examples.html")
    Select(browser.find_element("id", "sysa")).select_by_visible_text("lead")
    Select(browser.find_element("id", "sysb")).select_by_visible_text("oracle")
    head = [th.text for th in browser.find_elements("css selector", "#list thead th")]
    assert head[-1].startswith("Δ oracle − lead")
    delta = column(browser, 5)
    lead, oracle = column(browser, 2), column(browser, 4)
    assert delta == sorted(delta, reverse=True)
    assert all(abs(d - (o - a)) < 0.011 for d, a, o in zip(delta, lead, oracle))
    browser.find_element("id", "losses").click()
    assert column(browser, 5) == sorted(delta)
    # the link `harness compare` prints opens the page sorted so, on an example
    open_page(browser, interview_run / "examples.html", "#a=lead&b=oracle&sort=loss&id=lavrov-2018-12-24%3Aq2")
    assert browser.find_element("id", "exid").text == "lavrov-2018-12-24:q2"
    assert column(browser, 5) == sorted(delta)
    assert console_errors(browser) == []


def _hostile_corpus() -> Corpus:
    examples = []
    for k in range(3):
        source = (f"First sentence {k} has {EVIL} in it. Second sentence {EVIL_SCRIPT} here. "
                  "Third sentence is plain.")
        examples.append(Example(f"{EVIL}{k}", source, [Reference(f"A reference {EVIL_SCRIPT} {EVIL} sentence.",
                                                                   annotator=EVIL)], question=EVIL_SCRIPT))
    return Corpus("hostile", examples)


def test_hostile_text_stays_inert(browser, tmp_path):
    out = tmp_path / "hostile"
    evil_system = Named(f"{EVIL}sys", lead)
    run(_hostile_corpus(), [evil_system, Named(EVIL_SCRIPT, lambda ex: [EVIL, EVIL_SCRIPT])], out=out,
        executor="serial", config=harness.ScoreConfig(baseline_system=None))
    page = (out / "examples.html").read_text(encoding="utf-8")
    assert page.count("<script") == 2 and page.count("</script>") == 2
    open_page(browser, out / "examples.html")
    assert console_errors(browser) == []
    assert js(browser, "return window.__pwned === undefined")
    assert js(browser, "return document.querySelectorAll('img').length") == 0
    assert list_ids(browser) == [f"{EVIL}{k}" for k in range(3)]
    assert browser.find_element("id", "exid").text == f"{EVIL}0"
    names = js(browser, "return [...document.querySelectorAll('#systems h3')].map(h => h.firstChild.textContent)")
    assert names == [f"{EVIL}sys", EVIL_SCRIPT]
    texts = js(browser, "return [...document.querySelectorAll('#systems .text')].map(e => e.textContent)")
    assert texts[1] == f"{EVIL}\n{EVIL_SCRIPT}"
    for mode in range(7):  # every marking mode renders the same texts, inertly
        js(browser, "[...document.querySelectorAll('#modes button')][arguments[0]].click()", mode)
        assert js(browser, "return document.querySelectorAll('img').length") == 0
    browser.find_element("id", "textq").send_keys("onerror")
    assert len(list_ids(browser)) == 3
    assert js(browser, "return window.__pwned === undefined")
    assert console_errors(browser) == []


def test_two_runs_side_by_side(browser, interview_run, tmp_path):
    other = tmp_path / "b"
    run(harness.load("interview"), ["lead:k=1", "textrank"], out=other, executor="serial", explorer=False)
    assert not (other / "examples.html").exists()
    assert main(["explore", str(interview_run), str(other)]) == 0
    page = other / f"examples-vs-{interview_run.name}.html"
    open_page(browser, page)
    assert console_errors(browser) == []
    head = [th.text for th in browser.find_elements("css selector", "#list thead th")]
    assert head[2:] == ["lead [A]", "textrank [A]", "oracle [A]", "lead:k=1 [B]", "textrank [B]"]
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", "sysa")).select_by_visible_text("textrank [A]")
    Select(browser.find_element("id", "sysb")).select_by_visible_text("textrank [B]")
    assert column(browser, 7) == [0.0] * 6  # the same system, the same summaries


def test_rows_without_texts_say_how_to_see_them(browser, interview_run, tmp_path):
    from harness.explore import Limits, write_page

    page = tmp_path / "bounded.html"
    payload = write_page(page, [interview_run], harness.load("interview"), limits=Limits(examples=2))
    assert payload.n_shown == 2
    open_page(browser, page)
    assert len(list_ids(browser)) == 6
    assert "6 examples, 2 with their texts" in browser.find_element("id", "info").text
    lite = [i for i, e in enumerate(payload.data["examples"]) if "s" not in e]
    js(browser, "document.querySelectorAll('#list tbody tr')[arguments[0]].click()", lite[0])
    assert browser.find_element("id", "absent").is_displayed()
    assert not browser.find_element("id", "texts").is_displayed()
    want = f"harness explore {interview_run} --ids {payload.data['examples'][lite[0]]['id']}"
    assert browser.find_element("id", "absent-cmd").text == want
    full = next(i for i, e in enumerate(payload.data["examples"]) if "s" in e)
    js(browser, "document.querySelectorAll('#list tbody tr')[arguments[0]].click()", full)
    assert browser.find_element("id", "texts").is_displayed() and not browser.find_element("id", "absent").is_displayed()
    assert console_errors(browser) == []
