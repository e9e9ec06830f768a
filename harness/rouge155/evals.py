"""The evaluations of a ROUGE-1.5.5 run: its ROUGE-EVAL XML config, or (-z FORMAT) a file list of
"peer model1 ... modelN" lines (eval ids 1, 2, ...; the peer's id is the command's system id, or X;
models M.1 ... M.N). Paths are resolved as the script does (root + "/" + file in the XML)."""
import os
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field

from ..errors import HarnessError

READABLE = ("SEE", "SPL", "ISI")


@dataclass
class Evaluation:
    id: str
    input_format: str | None = None
    peer_root: str | None = None
    model_root: str | None = None
    peers: dict = field(default_factory=dict)   # peer id -> file as written
    models: dict = field(default_factory=dict)  # model id -> file, in the config's order

    def peer_path(self, peer_id: str, listed: bool) -> str:
        return self.peers[peer_id] if listed else f"{self.peer_root}/{self.peers[peer_id]}"

    def model_paths(self, listed: bool) -> list:
        return [m if listed else f"{self.model_root or ''}/{m}" for m in self.models.values()]


def _text(node) -> str:
    return re.sub(r"^[\n\s]+|[\n\s]+$", "", node.text or "")


def _tag(node) -> str:
    return node.tag.upper() if isinstance(node.tag, str) else ""


def _read_eval(node, evals: dict, peer_ids: dict, path: str) -> None:
    eval_id = node.get("ID")
    if eval_id is None:
        raise HarnessError(f"{path}: an <EVAL> element has no ID attribute")
    ev = evals.setdefault(eval_id, Evaluation(eval_id))
    for child in node.iter():
        tag = _tag(child)
        if tag == "INPUT-FORMAT":
            fmt = child.get("TYPE") or ""
            if not re.fullmatch("SEE|ISI|SPL|SIMPLE", fmt, re.I):
                raise HarnessError(f"{path}: EVAL {eval_id}: unknown input type {fmt!r}")
            ev.input_format = fmt
        elif tag == "PEER-ROOT":
            ev.peer_root = _text(child)
        elif tag == "MODEL-ROOT":
            ev.model_root = _text(child)
        elif tag == "P":
            ev.peers[child.get("ID")] = _text(child)
            peer_ids.setdefault(child.get("ID"), True)
        elif tag == "M":
            ev.models[child.get("ID")] = _text(child)


def read_config(path: str) -> tuple[list, list]:
    """(evaluations in the config's order, every peer id) from a ROUGE-EVAL XML file."""
    try:
        root = ElementTree.parse(path).getroot()
    except FileNotFoundError:
        raise HarnessError(f"ROUGE-1.5.5 config {path}: no such file") from None
    except ElementTree.ParseError as e:
        raise HarnessError(f"ROUGE-1.5.5 config {path}: not well-formed XML ({e})") from None
    evals, peer_ids = {}, {}
    for node in root.iter():
        if _tag(node) == "EVAL":
            _read_eval(node, evals, peer_ids, path)
    return list(evals.values()), list(peer_ids)


def read_file_list(path: str, fmt: str, system_id: str) -> list:
    """Evaluations from a -z file list."""
    try:
        with open(path, "rb") as f:
            lines = f.read().decode("latin-1").split("\n")
    except FileNotFoundError:
        raise HarnessError(f"ROUGE-1.5.5 file list {path}: no such file") from None
    evals = []
    for number, line in enumerate(lines, 1):
        if line.startswith("#") or not line.strip():
            continue
        files = line.split()
        if len(files) < 2:
            raise HarnessError(f"{path}:{number}: a file list line needs a peer and at least one model")
        ev = Evaluation(str(len(evals) + 1), input_format=fmt, peers={system_id: files[0]})
        ev.models = {f"M.{i}": name for i, name in enumerate(files[1:], 1)}
        evals.append(ev)
    return evals


def check_readable(ev: Evaluation, config: str) -> None:
    if ev.input_format is None or ev.input_format.upper() not in READABLE:
        raise HarnessError(f"{config}: EVAL {ev.id}: ROUGE-1.5.5 cannot read input format "
                           f"{ev.input_format!r} (it reads {', '.join(READABLE)})")


def read_bytes(path: str, what: str) -> bytes:
    if not os.path.isfile(path):
        raise HarnessError(f"cannot find {what} summary: {path}")
    with open(path, "rb") as f:
        return f.read()
