"""The explorer page: one self-contained HTML file (no server, no network, no build step).

The page's script and style (page.js, page.css beside this module, written
for it) are inlined, and the data goes in a `<script type="application/json">`
element. JSON inside a script element ends at the first `</script`, and an
HTML parser also reacts to `<!--` there, so every `<` of the JSON text is
written as the escape `\\u003c` (it can only occur inside a JSON string,
where the escape means the same character). Lone surrogates (ids and
texts may hold them) cannot be encoded in UTF-8 and are written as `\\uXXXX`
escapes too. The script reads the data with JSON.parse and builds the page
with textContent and createElement only: no string from the data is ever
parsed as HTML.
"""
from __future__ import annotations

import html
import json
import re
from importlib import resources

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def embed_json(data) -> str:
    """`data` as JSON that is safe inside a script element (see the module docstring)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = text.replace("<", "\\u003c")
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_BODY = """<noscript><p>This page is drawn by its script: allow JavaScript for this file (it reads only the data
inside the file and makes no network request).</p></noscript>
<header>
<h1 id="title">Examples</h1>
<div id="info" class="muted"></div>
<details class="sig"><summary>how the scores were computed</summary><div id="sig"></div></details>
<ul id="notes" class="notes"></ul>
</header>
<div class="controls">
<label>scores <select id="type"></select></label>
<label>id <input id="idq" type="search" placeholder="part of an id"></label>
<label>text <input id="textq" type="search" placeholder="a word in any text"></label>
<label>score of <select id="fsys"></select> from <input id="fmin" type="number" step="any" placeholder="0">
to <input id="fmax" type="number" step="any" placeholder="100"></label>
<label>compare <select id="sysa"></select> with <select id="sysb"></select></label>
<button id="gains" type="button" title="sort by the largest gain of the second system">largest gains</button>
<button id="losses" type="button" title="sort by the largest loss of the second system">largest losses</button>
</div>
<div id="list-wrap"><table id="list"></table></div>
<div class="pager"><button id="prevpage" type="button">&larr; previous page</button>
<button id="nextpage" type="button">next page &rarr;</button><span id="pageinfo" class="muted"></span></div>
<main id="detail" hidden>
<div class="bar"><button id="prev" type="button" title="previous example (k)">&larr;</button>
<button id="next" type="button" title="next example (j)">&rarr;</button>
<span class="exid" id="exid"></span><span id="expos" class="muted"></span>
<span class="modes" id="modes"></span>
<label class="muted" id="refwrap">against <select id="refsel"></select></label></div>
<section class="block" id="absent" hidden><p>Only the scores of this example are in this page (the page is
bounded: see its notes at the top). A page with its texts and marks: <code id="absent-cmd"></code></p></section>
<div id="texts">
<div id="legend" class="legend"></div>
<section class="block" id="source"></section>
<section class="block"><h2>References</h2><div id="refs" class="grid refs"></div></section>
<section class="block"><h2>Summaries</h2><div id="systems" class="grid"></div></section>
</div>
</main>
"""


def _data_json(data: dict, encoded: list[str] | None) -> str:
    if encoded is None:
        return embed_json(data)
    head = embed_json({**data, "examples": []})  # "examples" is the last key: its list ends the text
    assert head.endswith('"examples":[]}')
    return head[:-2] + ",".join(encoded) + "]}"


def render(data: dict, encoded: list[str] | None = None) -> str:
    """The whole page for the explorer data `data` (see harness.explore.data); `encoded`: its examples,
    already through `embed_json` (so that a large page is not encoded twice)."""
    title = html.escape(f"Examples: {data.get('title', '')}")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{title}</title>\n<style>\n{_asset('page.css')}</style>\n</head>\n<body>\n{_BODY}"
            f"<script type=\"application/json\" id=\"data\">{_data_json(data, encoded)}</script>\n"
            f"<script>\n{_asset('page.js')}</script>\n</body>\n</html>\n")
