"""Hugging Face datasets: `hf:NAME[:CONFIG][:SPLIT]`, and folders saved by `datasets`.

`hf:xsum`, `hf:abisee/cnn_dailymail:3.0.0:test`, `hf:samsum::validation`
(empty CONFIG), `hf:xsum:test[:100]` (the first 100 rows). The split
defaults to `test`; known datasets (see `fields.PRESETS`) bring their hub
repository, default config and fields, and `--id-field`, `--source-field`
and `--reference-field` name the fields of any other.

Hub datasets are streamed with `datasets.load_dataset(..., streaming=True)`.
Without a network (or with `HF_HUB_OFFLINE=1`) a request fails within a few
seconds with a message saying how to use a local copy; `datasets` itself
would retry for half a minute. A dataset already in the local Hugging Face
cache is used from there when offline.

A folder written by `Dataset.save_to_disk` / `DatasetDict.save_to_disk` is
read with `load_from_disk` (memory-mapped: rows are read as iterated); any
other folder is handed to `load_dataset` like a hub repository (data files
in the folder, a README with configs), which is how the hub code path is
exercised without a network.
"""
from __future__ import annotations

import os
import re
import socket
import threading
from pathlib import Path
from urllib.parse import urlparse

from ..errors import DataError
from .fields import FieldOptions, Fields, preset_for
from .tables import BATCH_ROWS, TableSource

DEFAULT_SPLIT = "test"
PROBE_TIMEOUT = 3.0  # seconds to decide the hub is unreachable
_SPLIT = re.compile(r"^(?:train|test|validation|valid|val|dev)$")


def parse_hf_spec(spec: str) -> tuple[str, str | None, str | None, int | None]:
    """`hf:NAME[:CONFIG][:SPLIT]` -> (name, config, split, row limit).

    With one part after NAME, a well-known split name (or `NAME[:N]`) is
    the split, anything else the config.
    """
    body = spec[3:] if spec.startswith("hf:") else spec
    limit = None
    if m := re.search(r"\[:(\d+)\]$", body):  # SPLIT[:N]: the first N rows
        body, limit = body[:m.start()], int(m[1])
    parts = body.split(":")
    # Windows drive letters and URLs are not expected; ":" only separates parts.
    name, rest = parts[0], parts[1:]
    if not name:
        raise DataError(f"{spec}: no dataset name (expected hf:NAME[:CONFIG][:SPLIT])")
    if len(rest) > 2:
        raise DataError(f"{spec}: too many ':' parts (expected hf:NAME[:CONFIG][:SPLIT])")
    config = split = None
    if len(rest) == 1:
        if _SPLIT.match(rest[0]) or limit is not None:
            split = rest[0]
        else:
            config = rest[0] or None
    elif len(rest) == 2:
        config, split = rest[0] or None, rest[1] or None
    if limit is not None and not split:
        raise DataError(f"{spec}: [:N] follows a split name, e.g. hf:xsum:test[:100]")
    return name, config, split, limit


def hub_endpoint() -> str:
    from huggingface_hub import constants

    return os.environ.get("HF_ENDPOINT") or constants.ENDPOINT


def hub_offline_flag() -> bool:
    from huggingface_hub import constants

    env = os.environ.get("HF_HUB_OFFLINE") or os.environ.get("HF_DATASETS_OFFLINE")
    return bool(constants.HF_HUB_OFFLINE) or (env or "").strip().lower() in ("1", "true", "yes", "on")


def hub_reachable(timeout: float = PROBE_TIMEOUT) -> bool:
    """Can a TCP connection to the hub be opened within `timeout` seconds?

    Name resolution can block far longer than a socket timeout, so the probe
    runs in a daemon thread that is abandoned when the time is up.
    """
    url = urlparse(hub_endpoint())
    host, port = url.hostname or "huggingface.co", url.port or (443 if url.scheme == "https" else 80)
    result: list[bool] = []

    def probe() -> None:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                result.append(True)
        except Exception:  # any failure to connect means unreachable
            result.append(False)

    t = threading.Thread(target=probe, daemon=True)
    t.start()
    t.join(timeout)
    return bool(result and result[0])


def _offline_message(spec: str, repo: str, config: str | None, split: str, why: str) -> str:
    cfg = f", {config!r}" if config else ""
    return (
        f"{spec}: the Hugging Face hub is unreachable ({why}) and {repo!r} is not in the local cache. "
        f"To use a local copy: on a machine with network, run "
        f"`datasets.load_dataset({repo!r}{cfg}, split={split!r}).save_to_disk('DIR')` and pass --data DIR "
        f"(a folder saved by datasets), or export the split to JSONL/CSV/Parquet and pass that file "
        f"(with --id-field/--source-field/--reference-field if its columns differ)."
    )


def _load_cached(repo: str, config: str | None, split: str):
    """The dataset from the local Hugging Face cache, without touching the network."""
    import datasets
    from huggingface_hub import constants

    saved = (datasets.config.HF_HUB_OFFLINE, constants.HF_HUB_OFFLINE)
    datasets.config.HF_HUB_OFFLINE = constants.HF_HUB_OFFLINE = True
    try:
        return datasets.load_dataset(repo, config, split=split)
    finally:
        datasets.config.HF_HUB_OFFLINE, constants.HF_HUB_OFFLINE = saved


def _is_saved_folder(path: Path) -> bool:
    return (path / "dataset_dict.json").is_file() or (path / "state.json").is_file()


def _pick_split(dd, split: str | None, where: str):
    names = list(dd.keys())
    if split:
        if split not in dd:
            raise DataError(f"{where}: no split {split!r}; it has {', '.join(names)}")
        return dd[split], split
    for cand in (DEFAULT_SPLIT, "validation"):
        if cand in dd:
            return dd[cand], cand
    if len(names) == 1:
        return dd[names[0]], names[0]
    raise DataError(f"{where}: several splits ({', '.join(names)}); choose one with --split or DIR:SPLIT")


def _fields_for(name: str, opts: FieldOptions) -> tuple[Fields, bool, bool, str | None, list[str], str]:
    """(fields, detect by columns?, id named?, default config, notes, hub repo) for a dataset name."""
    found = preset_for(name)
    if found is None:
        return (*opts.plan(), None, [], name)
    key, preset = found
    fields, auto, id_given = opts.plan(preset.fields)
    note = f"{key} preset: {fields.describe()}" + (f" ({preset.note})" if preset.note else "")
    return fields, auto, id_given, preset.config, [note], preset.repo


def saved_folder_source(path: str | Path, opts: FieldOptions = FieldOptions(), *, split: str | None = None,
                        limit: int | None = None) -> TableSource:
    """A folder written by `save_to_disk`: a Dataset, or a DatasetDict and a split."""
    import datasets

    path = Path(path)
    try:
        ds = datasets.load_from_disk(str(path))
    except Exception as e:  # a damaged folder: say which
        raise DataError(f"{path}: cannot be read with datasets.load_from_disk: {e}") from None
    name = path.name
    if isinstance(ds, datasets.DatasetDict):
        ds, split = _pick_split(ds, split, str(path))
        name = f"{path.name}-{split}"
    if limit is not None:
        ds = ds.select(range(min(limit, len(ds))))
    f, auto, id_given, _, notes, _ = _fields_for(path.name, opts)
    origin = f"{path}" + (f" ({split})" if split else "")

    def batches():
        yield from ds.with_format("arrow").iter(batch_size=BATCH_ROWS)

    return TableSource(name, origin, batches, lambda row: f"{origin}: row {row}", None, f, auto, id_given, notes,
                       reader=("saved", path.resolve(), split, limit))


def hub_source(spec: str, opts: FieldOptions = FieldOptions(), *, split: str | None = None) -> TableSource:
    """`hf:NAME[:CONFIG][:SPLIT]`: a hub dataset (streamed) or a local dataset folder."""
    name, config, spec_split, limit = parse_hf_spec(spec)
    split = spec_split or split
    local = Path(name).expanduser()
    if local.is_dir() and _is_saved_folder(local):
        return saved_folder_source(local, opts, split=split, limit=limit)
    f, auto, id_given, default_config, notes, repo = _fields_for(name, opts)
    if local.is_dir():
        repo = str(local.resolve())
    config = config or default_config
    split = split or DEFAULT_SPLIT
    label = f"hf:{name}" + (f":{config}" if config else "") + f":{split}"
    cached = None
    if not local.is_dir():
        offline = hub_offline_flag()
        if offline or not hub_reachable():
            why = "HF_HUB_OFFLINE is set" if offline else f"no connection to {hub_endpoint()} within {PROBE_TIMEOUT:g} s"
            try:
                cached = _load_cached(repo, config, split)
            except Exception:
                raise DataError(_offline_message(spec, repo, config, split, why)) from None
            notes.append(f"{label}: hub unreachable ({why}); read from the local Hugging Face cache")

    def batches():
        import datasets

        if cached is not None:
            ds = cached
            if limit is not None:
                ds = ds.select(range(min(limit, len(ds))))
        else:
            datasets.config.HF_UPDATE_DOWNLOAD_COUNTS = False  # a download-counter ping, see files._dataset
            try:
                ds = datasets.load_dataset(repo, config, split=split, streaming=True)
            except (ValueError, FileNotFoundError, datasets.exceptions.DatasetNotFoundError) as e:
                raise DataError(f"{label}: {e}") from None
            if limit is not None:
                ds = ds.take(limit)
        yield from ds.with_format("arrow").iter(batch_size=BATCH_ROWS)

    # datasets' own shards (its files) for the workers, unless rows are limited or come from the cache
    reader = ("hub", repo, config, split) if cached is None and limit is None else None
    return TableSource(f"{Path(name).name}-{split}", label, batches, lambda row: f"{label}: row {row}", None,
                       f, auto, id_given, notes, reader=reader)
