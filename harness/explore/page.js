// harness explorer: the list of examples and one example at a time, from the JSON in #data.
// Every string of the data reaches the page through textContent, createTextNode or a property
// (title, value): nothing is parsed as HTML.
"use strict";
(function () {
  const D = JSON.parse(document.getElementById("data").textContent);
  const TYPES = D.types, SYS = D.systems, EX = D.examples;
  const PAGE = 100;
  const NOVEL = [1, 2, 3];
  const state = { type: 0, sort: { key: "order", dir: 1 }, idq: "", textq: "", fsys: -1, fmin: null, fmax: null,
                  a: -1, b: -1, page: 0, cur: -1, mode: TYPES[0] || "novel1", ref: "best", focus: 0, hover: -1 };
  let rows = [];       // indices into EX, filtered and sorted
  let haystacks = null; // lower-cased texts per example, built on the first text search

  // --- small DOM helpers ---------------------------------------------------------------------
  function el(tag, props, ...kids) {
    const e = document.createElement(tag);
    if (props) for (const k in props) {
      if (k === "class") e.className = props[k];
      else if (k === "text") e.textContent = props[k];
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), props[k]);
      else e[k] = props[k];
    }
    for (const kid of kids) if (kid != null) e.appendChild(typeof kid === "string" ? document.createTextNode(kid) : kid);
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); return e; }
  const $ = (id) => document.getElementById(id);
  const sysLabel = (i) => SYS[i].run ? SYS[i].name + " [" + SYS[i].run + "]" : SYS[i].name;
  const sysKey = (i) => SYS[i].run ? SYS[i].run + ":" + SYS[i].name : SYS[i].name;
  const pts = (f) => f == null ? "–" : (100 * f).toFixed(2);
  function fOf(ex, s, t) { const f = ex.f[s]; return f == null ? null : f[t]; }
  function diffOf(ex) {
    const fa = fOf(ex, state.a, state.type), fb = fOf(ex, state.b, state.type);
    return fa == null || fb == null ? null : fb - fa;
  }
  const full = (ex) => ex.s !== undefined;  // false: a row of the list without its texts (see the notes)
  const comparing = () => state.a >= 0 && state.b >= 0 && state.a !== state.b;

  // --- decoding a record ---------------------------------------------------------------------
  function spans(k) {  // [gap, length, gap, length, ...] -> [[start, end], ...]
    const out = []; let end = 0;
    if (!k) return out;
    for (let i = 0; i < k.length; i += 2) { const s = end + k[i]; end = s + k[i + 1]; out.push([s, end]); }
    return out;
  }
  function prf(hits, np, nr) {  // rouge-score's float operations (harness.scoring.engine.prf)
    const p = np ? hits / np : 0, r = nr ? hits / nr : 0;
    return [p, r, p + r > 0 ? 2 * p * r / (p + r) : 0];
  }
  function gramN(t) { return t === "rougeL" || t === "rougeLsum" ? 1 : parseInt(t.slice(5), 10); }
  function counts(type, nSum, nRef) {
    const n = gramN(type);
    if (type === "rougeL" || type === "rougeLsum") return [nSum, nRef];
    return [Math.max(nSum - n + 1, 0), Math.max(nRef - n + 1, 0)];
  }
  // --- the hits ROUGE counted, from the scorer's token ids (the same pairs as harness.explore.marks) ---
  // A pair list is flat: summary position, reference position, ...; for rougeN a pair holds the first
  // token of the n-gram on each side.
  function ngramPairs(S, R, n) {  // clipped counts: the k-th occurrence in S with the k-th in R
    const key = (a, i) => n === 1 ? a[i] : a.slice(i, i + n).join(",");
    const at = new Map(), used = new Map(), out = [];
    for (let i = 0; i + n <= R.length; i++) { const k = key(R, i); if (!at.has(k)) at.set(k, []); at.get(k).push(i); }
    for (let i = 0; i + n <= S.length; i++) {
      const k = key(S, i), pos = at.get(k);
      if (!pos) continue;
      const u = used.get(k) || 0;
      if (u < pos.length) { out.push(i, pos[u]); used.set(k, u + 1); }
    }
    return out;
  }
  function lcsPairs(R, S) {  // rouge-score's _lcs_table and _backtrack_norec: [[ref pos, summary pos], ...]
    const m = R.length, n = S.length, w = n + 1;
    if (!m || !n) return [];
    const t = new Int32Array((m + 1) * w);
    for (let i = 1; i <= m; i++) for (let j = 1; j <= n; j++)
      t[i * w + j] = R[i - 1] === S[j - 1] ? t[(i - 1) * w + j - 1] + 1 : Math.max(t[(i - 1) * w + j], t[i * w + j - 1]);
    const out = [];
    let i = m, j = n;
    while (i > 0 && j > 0) {
      if (R[i - 1] === S[j - 1]) { out.push([i - 1, j - 1]); i--; j--; }
      else if (t[i * w + j - 1] > t[(i - 1) * w + j]) j--;
      else i--;
    }
    return out.reverse();
  }
  function sentences(text) {  // [start, length] of each line (rougeLsum's sentences) in the flat tokens
    const out = []; let p = 0;
    for (const n of text.l) { out.push([p, n]); p += n; }
    return out;
  }
  function lsumPairs(S, R) {  // rouge-score's _summary_level_lcs (see harness.explore.marks.lsum_pairs)
    const Sw = S.w, Rw = R.w, left = new Map(), hits = [];
    const dec = (k, id) => left.set(k + id, left.get(k + id) - 1);
    for (const id of Sw) left.set("c" + id, (left.get("c" + id) || 0) + 1);
    for (const id of Rw) left.set("r" + id, (left.get("r" + id) || 0) + 1);
    const cands = sentences(S);
    for (const [rs, rn] of sentences(R)) {
      if (!rn) continue;
      const ref = Rw.slice(rs, rs + rn), aligned = new Map();
      for (const [cs, cn] of cands) {
        for (const [i, j] of lcsPairs(ref, Sw.slice(cs, cs + cn))) {
          if (!aligned.has(i)) aligned.set(i, []);
          aligned.get(i).push(cs + j);
        }
      }
      for (const i of Array.from(aligned.keys()).sort((a, b) => a - b)) {
        const id = ref[i];
        if (left.get("c" + id) > 0 && left.get("r" + id) > 0) { dec("c", id); dec("r", id); hits.push([rs + i, aligned.get(i)]); }
      }
    }
    const used = new Set(), out = [];
    for (const [rp, cands2] of hits) {
      let j = cands2.find((c) => !used.has(c));
      if (j === undefined) j = Sw.findIndex((id, k) => id === Rw[rp] && !used.has(k));
      used.add(j);
      out.push([j, rp]);
    }
    out.sort((a, b) => a[0] - b[0]);
    return out.flat();
  }
  let pairCache = new Map(), pairCacheFor = null;
  function pairsOf(ex, s, r, t) {
    if (pairCacheFor !== ex) { pairCache = new Map(); pairCacheFor = ex; }
    const k = s + ":" + r + ":" + t;
    let p = pairCache.get(k);
    if (p === undefined) {
      const S = ex.s[s], R = ex.refs[r], type = TYPES[t];
      p = type === "rougeLsum" ? lsumPairs(S, R) :
          type === "rougeL" ? lcsPairs(R.w, S.w).flatMap(([i, j]) => [j, i]) : ngramPairs(S.w, R.w, gramN(type));
      pairCache.set(k, p);
    }
    return p;
  }
  const hasTokens = (rec) => rec && rec.w;
  function perRef(ex, s, t) {  // [P, R, F] of summary s against each reference for type index t
    const rec = ex.s[s];
    return ex.refs.map((ref, r) => {
      const c = counts(TYPES[t], rec.w.length, ref.w.length);
      const hits = c[0] && c[1] ? pairsOf(ex, s, r, t).length / 2 : 0;
      return prf(hits, c[0], c[1]);
    });
  }
  function bestRef(ex, s, t) {  // the first reference with the highest F (rouge-score's max rule)
    const scores = perRef(ex, s, t);
    let best = 0;
    for (let r = 1; r < scores.length; r++) if (scores[r][2] > scores[best][2]) best = r;
    return best;
  }
  function refFor(ex, s, t) { return state.ref === "best" ? bestRef(ex, s, t) : Math.min(+state.ref, ex.refs.length - 1); }

  // --- the list ------------------------------------------------------------------------------
  function buildHaystacks() {
    haystacks = EX.map((ex) => (full(ex) ? [ex.id, ex.q || "", ex.src, ...ex.refs.map((r) => r.t),
                                ...ex.s.map((s) => (s && s.t) || "")] : [ex.id]).join("\n").toLowerCase());
  }
  function applyFilters() {
    const idq = state.idq.toLowerCase(), textq = state.textq.toLowerCase();
    if (textq && !haystacks) buildHaystacks();
    rows = [];
    for (let i = 0; i < EX.length; i++) {
      const ex = EX[i];
      if (idq && !ex.id.toLowerCase().includes(idq)) continue;
      if (textq && !haystacks[i].includes(textq)) continue;
      if (state.fsys >= 0 && (state.fmin != null || state.fmax != null)) {
        const f = state.fsys === SYS.length ? diffOf(ex) : fOf(ex, state.fsys, state.type);
        if (f == null) continue;
        if (state.fmin != null && 100 * f < state.fmin - 1e-9) continue;
        if (state.fmax != null && 100 * f > state.fmax + 1e-9) continue;
      }
      rows.push(i);
    }
    const key = state.sort.key, dir = state.sort.dir;
    if (key !== "order") {
      const val = (i) => key === "id" ? EX[i].id : key === "diff" ? diffOf(EX[i]) : fOf(EX[i], key, state.type);
      rows.sort((x, y) => {
        const a = val(x), b = val(y);
        if (a == null || b == null) return a == null ? (b == null ? x - y : 1) : -1;  // missing scores last
        if (a < b) return -dir; if (a > b) return dir; return x - y;
      });
    } else if (dir < 0) rows.reverse();
    state.page = Math.min(state.page, Math.max(0, Math.ceil(rows.length / PAGE) - 1));
  }
  function header(text, key, cls) {
    const th = el("th", { text, class: cls || "", title: "sort by " + text });
    if (state.sort.key === key) th.classList.add("sorted", ...(state.sort.dir > 0 ? ["asc"] : []));
    th.dataset.key = String(key);
    th.addEventListener("click", () => {
      const numeric = key !== "id" && key !== "order";
      if (state.sort.key === key) state.sort.dir = -state.sort.dir;
      else state.sort = { key, dir: numeric ? -1 : 1 };
      renderList(true);
    });
    return th;
  }
  function renderList(refilter) {
    if (refilter) applyFilters();
    const head = el("tr", null, header("#", "order"), header("id", "id", "id"));
    SYS.forEach((s, i) => head.appendChild(header(sysLabel(i), i)));
    if (comparing()) head.appendChild(header("Δ " + sysLabel(state.b) + " − " + sysLabel(state.a), "diff"));
    const body = el("tbody");
    const start = state.page * PAGE;
    for (const i of rows.slice(start, start + PAGE)) {
      const ex = EX[i];
      const tr = el("tr", { onclick: () => show(i) });
      tr.dataset.index = String(i);
      if (i === state.cur) tr.className = "current";
      if (!full(ex)) { tr.classList.add("lite"); tr.title = "only the scores of this example are in this page"; }
      tr.appendChild(el("td", { text: String(i + 1) }));
      tr.appendChild(el("td", { text: ex.id, class: "id", title: ex.id }));
      SYS.forEach((s, k) => { const f = fOf(ex, k, state.type); tr.appendChild(el("td", { text: pts(f), class: f == null ? "na" : "" })); });
      if (comparing()) {
        const d = diffOf(ex);
        tr.appendChild(el("td", { text: d == null ? "–" : (d > 0 ? "+" : "") + (100 * d).toFixed(2),
                                  class: d == null ? "na" : d > 0 ? "gain" : d < 0 ? "loss" : "" }));
      }
      body.appendChild(tr);
    }
    const table = clear($("list"));
    table.appendChild(el("thead", null, head));
    table.appendChild(body);
    if (rows.length > 1) {  // the mean over the listed rows (all pages), for a quick look at a filtered set
      const foot = el("tr", null, el("td"), el("td", { class: "id", text: "mean of the " + rows.length + " rows" }));
      const mean = (f) => { let n = 0, t = 0; for (const i of rows) { const v = f(EX[i]); if (v != null) { n++; t += v; } } return n ? t / n : null; };
      SYS.forEach((s, k) => foot.appendChild(el("td", { text: pts(mean((ex) => fOf(ex, k, state.type))) })));
      if (comparing()) { const d = mean(diffOf); foot.appendChild(el("td", { text: d == null ? "–" : (d > 0 ? "+" : "") + (100 * d).toFixed(2) })); }
      table.appendChild(el("tfoot", null, foot));
    }
    const pages = Math.max(1, Math.ceil(rows.length / PAGE));
    $("pageinfo").textContent = rows.length ? `rows ${start + 1}–${Math.min(start + PAGE, rows.length)} of ${rows.length}` +
      (rows.length < EX.length ? ` (filtered from ${EX.length})` : "") + ` · page ${state.page + 1} of ${pages}` : "no example matches";
    $("prevpage").disabled = state.page === 0;
    $("nextpage").disabled = state.page >= pages - 1;
    $("prevpage").hidden = $("nextpage").hidden = pages === 1;
  }

  // --- one example ---------------------------------------------------------------------------
  function marksFor(ex, s) {
    // Per token of summary s: the reference token ranges it matched, in the current mode and reference.
    const rec = ex.s[s];
    const t = TYPES.indexOf(state.mode);
    const out = new Map();
    if (t < 0 || !hasTokens(rec)) return { map: out, ref: -1 };
    const r = refFor(ex, s, t);
    const pairs = pairsOf(ex, s, r, t), n = gramN(TYPES[t]);
    for (let i = 0; i < pairs.length; i += 2) {
      for (let k = 0; k < n; k++) {
        const c = pairs[i] + k;
        if (!out.has(c)) out.set(c, []);
        out.get(c).push([pairs[i + 1], n]);
      }
    }
    return { map: out, ref: r, type: t };
  }
  function refMarks(ex, s, r) {  // reference r's tokens matched by summary s in the current mode
    const rec = ex.s[s], t = TYPES.indexOf(state.mode), out = new Set();
    if (t < 0 || !hasTokens(rec)) return out;
    const pairs = pairsOf(ex, s, r, t), n = gramN(TYPES[t]);
    for (let i = 1; i < pairs.length; i += 2) for (let k = 0; k < n; k++) out.add(pairs[i] + k);
    return out;
  }
  function textNode(text, sp, mark, cut, cls) {
    // `text` with tokens i for which mark(i) gives {class, title} wrapped in <mark>; tokens from `cut` on struck.
    const box = el("div", { class: "text " + (cls || "") });
    let pos = 0, target = box;
    for (let i = 0; i < sp.length; i++) {
      if (cut != null && i === cut) {
        target.appendChild(document.createTextNode(text.slice(pos, sp[i][0])));
        pos = sp[i][0];
        target = el("span", { class: "cut", title: "not scored: beyond the length limit" });
        box.appendChild(target);
      }
      const m = mark(i);
      if (!m) continue;
      target.appendChild(document.createTextNode(text.slice(pos, sp[i][0])));
      const e = el("mark", { text: text.slice(sp[i][0], sp[i][1]) });
      if (m.class) e.className = m.class;
      if (m.title) e.title = m.title;
      e.dataset.i = String(i);
      target.appendChild(e);
      pos = sp[i][1];
    }
    target.appendChild(document.createTextNode(text.slice(pos)));
    if (!text) box.appendChild(el("span", { class: "empty", text: "(empty)" }));
    return box;
  }
  function refWords(ref, start, n) {
    const sp = spans(ref.k);
    if (!sp.length || start >= sp.length) return "";
    return ref.t.slice(sp[start][0], sp[Math.min(start + n, sp.length) - 1][1]);
  }
  function renderSource(ex) {
    const box = clear($("source"));
    const rec = ex.s[state.focus];
    const chosen = rec && rec.x ? spans(rec.x) : [];
    const text = el("div", { class: "text source" });
    let pos = 0;
    for (const [s, e] of chosen) {
      if (s < pos) continue;  // a sentence inside one already highlighted
      text.appendChild(document.createTextNode(ex.src.slice(pos, s)));
      text.appendChild(el("span", { class: "chosen", text: ex.src.slice(s, e), title: "chosen by " + sysLabel(state.focus) }));
      pos = e;
    }
    text.appendChild(document.createTextNode(ex.src.slice(pos)));
    const what = !rec || rec.t == null ? sysLabel(state.focus) + " has no summary here" : rec.x ?
      sysLabel(state.focus) + " took " + chosen.length + " sentence" + (chosen.length > 1 ? "s" : "") + " from the source (highlighted)" :
      sysLabel(state.focus) + " is not extractive here: some sentence of it is not in the source";
    box.appendChild(el("details", { open: true }, el("summary", { text: "Source" }),
      ex.q ? el("div", { class: "question" }, el("b", { text: "Question: " }), ex.q) : null,
      el("div", { class: "legend", text: what + " · click a summary to follow another system" }), text));
  }
  function renderRefs(ex) {
    const box = clear($("refs"));
    const s = state.hover >= 0 ? state.hover : state.focus;
    const t = TYPES.indexOf(state.mode);
    const used = t >= 0 && hasTokens(ex.s[s]) ? refFor(ex, s, t) : -1;
    ex.refs.forEach((ref, r) => {
      const hit = refMarks(ex, s, r);
      const card = el("div", { class: "card" + (r === used ? " used" : "") });
      card.dataset.ref = String(r);
      const title = el("h3", null, "Reference " + (r + 1));
      if (ref.a) title.appendChild(el("span", { class: "tag", text: ref.a }));
      if (r === used) title.appendChild(el("span", { class: "tag", text: "marked against " + sysLabel(s) }));
      if (ref.note) title.appendChild(el("span", { class: "tag warn", text: ref.note }));
      card.appendChild(title);
      if (t >= 0 && hasTokens(ex.s[s])) {
        const sc = perRef(ex, s, t)[r];
        card.appendChild(el("div", { class: "against",
          text: `${sysLabel(s)} against it, ${TYPES[t]}: P ${pts(sc[0])} R ${pts(sc[1])} F ${pts(sc[2])}` }));
      }
      card.appendChild(textNode(ref.t, spans(ref.k), (i) => hit.has(i) ? {} : null, null));
      box.appendChild(card);
    });
  }
  function highlight(ex, s, i, on) {
    const info = marksFor(ex, s);
    const hits = info.map.get(i) || [];
    const card = document.querySelector(`#refs .card[data-ref="${info.ref}"]`);
    if (!card) return;
    for (const [start, n] of hits) for (let k = 0; k < n; k++) {
      const m = card.querySelector(`mark[data-i="${start + k}"]`);
      if (m) m.classList.toggle("hl", on);
    }
  }
  function renderSystems(ex) {
    const box = clear($("systems"));
    const t = TYPES.indexOf(state.mode);
    SYS.forEach((sys, s) => {
      const rec = ex.s[s];
      const card = el("div", { class: "card" + (s === state.focus ? " focus" : ""),
                               onclick: () => { if (state.focus !== s) { state.focus = s; renderDetail(); } } });
      card.dataset.system = String(s);
      const title = el("h3", null, sysLabel(s));
      if (sys.upper) title.appendChild(el("span", { class: "tag", text: "upper bound" }));
      if (sys.baseline) title.appendChild(el("span", { class: "tag", text: "baseline" }));
      if (comparing() && (s === state.a || s === state.b)) title.appendChild(el("span", { class: "tag cmp",
        text: s === state.a ? "compared: from" : "compared: to" }));
      if (rec && rec.t != null) title.appendChild(el("span", { class: "tag", text: rec.x ? "extractive" : "abstractive" }));
      if (rec && rec.ok === 0) title.appendChild(el("span", { class: "tag warn", text: "marks do not reproduce the stored score",
        title: "the summary in summaries.jsonl, scored again, does not give the score in scores.jsonl" }));
      if (rec && rec.note) title.appendChild(el("span", { class: "tag warn", text: rec.note }));
      card.appendChild(title);
      const sc = el("div", { class: "scores" });
      TYPES.forEach((ty, k) => sc.appendChild(el("span", { class: k === t ? "cur" : "" }, ty + " ", el("b", { text: pts(fOf(ex, s, k)) }))));
      card.appendChild(sc);
      if (!rec) { card.appendChild(el("div", { class: "empty", text: "no summary of this example" })); box.appendChild(card); return; }
      if (rec.e != null) { card.appendChild(el("div", { class: "error", text: "failed: " + rec.e })); box.appendChild(card); return; }
      const sp = spans(rec.k);
      let mark = () => null;
      if (t >= 0 && hasTokens(rec)) {
        const info = marksFor(ex, s);
        const ref = ex.refs[info.ref];
        card.appendChild(el("div", { class: "against", text: `${TYPES[t]} marks against reference ${info.ref + 1}` +
          (state.ref === "best" ? " (its best match)" : "") }));
        mark = (i) => {
          const hits = info.map.get(i);
          if (!hits) return null;
          const words = hits.map(([start, n]) => "“" + refWords(ref, start, n) + "”");
          return { title: "matches " + Array.from(new Set(words)).join(", ") + " in reference " + (info.ref + 1) };
        };
      } else if (state.mode.startsWith("novel")) {
        const n = +state.mode.slice(5), bit = 1 << (n - 1);
        mark = (i) => (+rec.n[i] & bit) ? { class: "novel", title: "in a " + n + "-gram not in the source" } : null;
      }
      const text = textNode(rec.t, sp, mark, rec.c);
      text.addEventListener("mouseover", (e) => {
        const m = e.target.closest("mark");
        if (!m || t < 0) return;
        if (state.hover !== s) { state.hover = s; renderRefs(ex); }
        highlight(ex, s, +m.dataset.i, true);
      });
      text.addEventListener("mouseout", (e) => {
        const m = e.target.closest("mark");
        if (m && t >= 0) highlight(ex, s, +m.dataset.i, false);
      });
      card.appendChild(text);
      box.appendChild(card);
    });
  }
  function renderModes() {
    const box = clear($("modes"));
    const modes = TYPES.map((t) => [t, t]).concat(NOVEL.map((n) => ["novel" + n, "novel " + n + "-grams"]));
    for (const [m, label] of modes) {
      box.appendChild(el("button", { text: label, class: state.mode === m ? "on" : "",
        title: m.startsWith("novel") ? "mark the summary's n-grams that are not in the source" : "mark the tokens " + m + " counted",
        onclick: () => { state.mode = m; renderDetail(); } }));
    }
  }
  function renderDetail() {
    const ex = EX[state.cur];
    if (!ex) return;
    $("detail").hidden = false;
    $("exid").textContent = ex.id;
    const at = rows.indexOf(state.cur);
    $("expos").textContent = at >= 0 ? `${at + 1} of ${rows.length} in the list` : "not in the filtered list";
    $("texts").hidden = $("modes").hidden = $("refwrap").hidden = !full(ex);
    $("absent").hidden = full(ex);
    if (!full(ex)) {
      $("absent-cmd").textContent = "harness explore " + D.runs.map((r) => r.path).join(" ") + " --ids " + ex.id;
      return;
    }
    if (!hasTokens(ex.s[state.focus])) {  // follow a system that has a summary of this example
      const other = ex.s.findIndex(hasTokens);
      if (other >= 0) state.focus = other;
    }
    const sel = clear($("refsel"));
    sel.appendChild(el("option", { value: "best", text: "each summary's best reference" }));
    ex.refs.forEach((r, i) => sel.appendChild(el("option", { value: String(i), text: "reference " + (i + 1) })));
    sel.value = state.ref === "best" || +state.ref < ex.refs.length ? state.ref : "best";
    renderModes();
    renderSource(ex);
    renderRefs(ex);
    renderSystems(ex);
    $("legend").textContent = state.mode.startsWith("novel") ?
      "red: tokens in an n-gram the source does not have (stems compared, as ROUGE compares them)" :
      "yellow: the summary tokens " + state.mode + " counted as hits; blue: the reference tokens they matched; hover a word to see its match";
  }
  function show(i) {
    state.cur = i;
    state.hover = -1;
    if (state.focus >= SYS.length) state.focus = 0;
    renderDetail();
    for (const tr of document.querySelectorAll("#list tbody tr")) tr.classList.toggle("current", +tr.dataset.index === i);
    setHash();
  }
  function step(delta) {
    if (!rows.length) return;
    let at = rows.indexOf(state.cur);
    at = at < 0 ? 0 : Math.max(0, Math.min(rows.length - 1, at + delta));
    const page = Math.floor(at / PAGE);
    if (page !== state.page) { state.page = page; renderList(false); }
    show(rows[at]);
  }

  // --- controls, hash ------------------------------------------------------------------------
  function options(select, items, value) {
    clear(select);
    for (const [v, label] of items) select.appendChild(el("option", { value: String(v), text: label }));
    select.value = String(value);
  }
  function setHash() {
    const p = new URLSearchParams();
    if (state.cur >= 0) p.set("id", EX[state.cur].id);
    if (comparing()) { p.set("a", sysKey(state.a)); p.set("b", sysKey(state.b)); }
    if (state.type) p.set("by", TYPES[state.type]);
    if (state.sort.key === "diff") p.set("sort", state.sort.dir < 0 ? "gain" : "loss");
    history.replaceState(null, "", "#" + p.toString());
  }
  function readHash() {
    const p = new URLSearchParams(location.hash.slice(1));
    const find = (k) => SYS.findIndex((s, i) => sysKey(i) === k);
    if (p.has("by") && TYPES.includes(p.get("by"))) { state.type = TYPES.indexOf(p.get("by")); state.mode = TYPES[state.type]; }
    if (p.has("a") && p.has("b")) { state.a = find(p.get("a")); state.b = find(p.get("b")); }
    if (comparing() && p.has("sort")) state.sort = { key: "diff", dir: p.get("sort") === "loss" ? 1 : -1 };
    if (comparing()) state.focus = state.b;
    const id = p.get("id");
    return id != null ? EX.findIndex((e) => e.id === id) : -1;
  }
  function num(v) { return v === "" ? null : +v; }
  function setup() {
    $("title").textContent = "Examples: " + D.title;
    const info = D.n_total + " example" + (D.n_total === 1 ? "" : "s") +
      (D.examples.length < D.n_total ? ", " + D.examples.length + " listed" : "") +
      (D.n_detail < D.examples.length ? ", " + D.n_detail + " with their texts" : "") + " · " + SYS.length + " system" + (SYS.length === 1 ? "" : "s") +
      " · " + D.runs.map((r, i) => (D.runs.length > 1 ? "ABCD"[i] + " = " : "") + r.path).join(", ");
    $("info").textContent = info;
    if (D.n_detail < EX.length) $("textq").placeholder = "a word (" + D.n_detail + " examples have texts here)";
    const sig = clear($("sig"));
    D.runs.forEach((r, i) => sig.appendChild(el("div", { text: (D.runs.length > 1 ? "ABCD"[i] + ": " : "") + r.signature })));
    const notes = clear($("notes"));
    for (const n of D.notes) notes.appendChild(el("li", { text: n }));
    options($("type"), TYPES.map((t, i) => [i, t]), state.type);
    const sysItems = SYS.map((s, i) => [i, sysLabel(i)]);
    options($("fsys"), [[-1, "—"], ...sysItems, [SYS.length, "Δ (compared)"]], -1);
    options($("sysa"), [[-1, "—"], ...sysItems], -1);
    options($("sysb"), [[-1, "—"], ...sysItems], -1);
    const start = readHash();
    $("type").value = String(state.type); $("sysa").value = String(state.a); $("sysb").value = String(state.b);
    $("type").addEventListener("change", (e) => { state.type = +e.target.value; state.mode = TYPES[state.type]; renderList(true); renderDetail(); setHash(); });
    $("idq").addEventListener("input", (e) => { state.idq = e.target.value; state.page = 0; renderList(true); });
    $("textq").addEventListener("input", (e) => { state.textq = e.target.value; state.page = 0; renderList(true); });
    $("fsys").addEventListener("change", (e) => { state.fsys = +e.target.value; state.page = 0; renderList(true); });
    $("fmin").addEventListener("input", (e) => { state.fmin = num(e.target.value); state.page = 0; renderList(true); });
    $("fmax").addEventListener("input", (e) => { state.fmax = num(e.target.value); state.page = 0; renderList(true); });
    const cmp = () => {
      state.a = +$("sysa").value; state.b = +$("sysb").value;
      if (comparing()) { state.sort = { key: "diff", dir: -1 }; state.focus = state.b; }
      else if (state.sort.key === "diff") state.sort = { key: "order", dir: 1 };
      renderList(true); renderDetail(); setHash();
    };
    $("sysa").addEventListener("change", cmp);
    $("sysb").addEventListener("change", cmp);
    $("gains").addEventListener("click", () => { if (comparing()) { state.sort = { key: "diff", dir: -1 }; renderList(true); setHash(); } });
    $("losses").addEventListener("click", () => { if (comparing()) { state.sort = { key: "diff", dir: 1 }; renderList(true); setHash(); } });
    $("prevpage").addEventListener("click", () => { state.page--; renderList(false); });
    $("nextpage").addEventListener("click", () => { state.page++; renderList(false); });
    $("prev").addEventListener("click", () => step(-1));
    $("next").addEventListener("click", () => step(1));
    $("systems").addEventListener("mouseleave", () => {
      if (state.hover >= 0) { state.hover = -1; if (EX[state.cur]) renderRefs(EX[state.cur]); }
    });
    $("refsel").addEventListener("change", (e) => { state.ref = e.target.value; renderDetail(); });
    document.addEventListener("keydown", (e) => {
      if (e.target.closest && e.target.closest("input, select, textarea")) return;
      if (e.key === "j" || e.key === "ArrowDown") { step(1); e.preventDefault(); }
      if (e.key === "k" || e.key === "ArrowUp") { step(-1); e.preventDefault(); }
    });
    go(start);
    window.addEventListener("hashchange", () => {
      const i = readHash();
      $("type").value = String(state.type); $("sysa").value = String(state.a); $("sysb").value = String(state.b);
      go(i);
    });
  }
  function go(start) {  // the list, on the page holding example `start` (or the first), and that example
    renderList(true);
    if (start < 0 && rows.length) start = rows[0];
    const at = rows.indexOf(start);
    if (at >= 0) { state.page = Math.floor(at / PAGE); renderList(false); }
    if (start >= 0) show(start);
  }
  setup();
})();
