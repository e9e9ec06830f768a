"""ROUGE-1.5.5 speed: the drop-in (harness rouge155) against ROUGE-1.5.5.pl on the same files.

    .venv/bin/python benchmarks/rouge155.py                       # the drop-in alone
    ROUGE155_ORACLE=/path/to/ROUGE-1.5.5 .venv/bin/python benchmarks/rouge155.py   # and the ratio to Perl

Inputs: `--docs` reproducible news-like documents (harness.scoring.synthetic), each with two peers
(its first three and its last two sentences) and its 1-2 references, one sentence a line (SPL), in
one ROUGE-EVAL config; options `-c 95 -2 -1 -U -r 1000 -n 4 -w 1.2 -a -m` (8 measures, pyrouge's
default plus -m) unless `--options`. Both programs read the files and print the report; the
drop-in runs in a fresh process (`rouge155`, start-up included) and its output must equal the
script's byte for byte. `ROUGE155_ORACLE` is a ROUGE-1.5.5 folder with ROUGE-1.5.5.pl and data/.
Wall clock (time.perf_counter), best of `--repeat`.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from harness.scoring.synthetic import news_record  # noqa: E402

DEFAULT_OPTIONS = "-c 95 -2 -1 -U -r 1000 -n 4 -w 1.2 -a -m"


def sentences(text: str) -> list:
    return [s.strip() + "." for s in text.split(".") if s.strip()]


def write_inputs(root: Path, docs: int) -> tuple:
    evals, pairs = [], 0
    for i in range(docs):
        r = news_record(i, seed=155)
        source = sentences(r["source"])
        peers = {"lead3": source[:3], "tail2": source[-2:]}
        for name, lines in peers.items():
            (root / f"{i}.{name}").write_text("\n".join(lines) + "\n")
        for k, ref in enumerate(r["references"]):
            (root / f"{i}.m{k}").write_text("\n".join(sentences(ref)) + "\n")
        pairs += len(peers)
        evals.append(f'<EVAL ID="{i}"><PEER-ROOT>{root}</PEER-ROOT><MODEL-ROOT>{root}</MODEL-ROOT>'
                     '<INPUT-FORMAT TYPE="SPL"></INPUT-FORMAT><PEERS>'
                     + "".join(f'<P ID="{p}">{i}.{p}</P>' for p in peers) + "</PEERS><MODELS>"
                     + "".join(f'<M ID="m{k}">{i}.m{k}</M>' for k in range(len(r["references"])))
                     + "</MODELS></EVAL>")
    config = root / "settings.xml"
    config.write_text('<ROUGE_EVAL version="1.5.5">' + "".join(evals) + "</ROUGE_EVAL>\n")
    return config, pairs


def timed(command: list, repeat: int) -> tuple:
    best, out = float("inf"), b""
    for _ in range(repeat):
        start = time.perf_counter()
        out = subprocess.run(command, capture_output=True, check=True).stdout
        best = min(best, time.perf_counter() - start)
    return best, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--options", default=DEFAULT_OPTIONS)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    drop_in = shutil.which("rouge155", path=str(Path(sys.executable).parent)) or "rouge155"
    with tempfile.TemporaryDirectory() as tmp:
        config, pairs = write_inputs(Path(tmp), args.docs)
        mine = [drop_in, *args.options.split(), str(config)]
        seconds, printed = timed(mine, args.repeat)
        print(f"inputs: {args.docs} documents, {pairs} peer summaries, options {args.options!r}")
        print(f"drop-in  {seconds:8.3f} s  {pairs / seconds:9.1f} pairs/s   {' '.join(mine[:1])} {args.options} CONFIG")
        home = os.environ.get("ROUGE155_ORACLE")
        if not home:
            print("ROUGE-1.5.5.pl: not timed (set ROUGE155_ORACLE to its folder)")
            return 0
        perl = ["perl", f"{home}/ROUGE-1.5.5.pl", "-e", f"{home}/data", *args.options.split(), str(config)]
        perl_seconds, expected = timed(perl, 1)
        print(f"perl     {perl_seconds:8.3f} s  {pairs / perl_seconds:9.1f} pairs/s   perl ROUGE-1.5.5.pl -e DATA "
              f"{args.options} CONFIG")
        print(f"ratio    {perl_seconds / seconds:8.1f}x  (outputs {'identical' if printed == expected else 'DIFFER'})")
        return 0 if printed == expected else 1


if __name__ == "__main__":
    sys.exit(main())
