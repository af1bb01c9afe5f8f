"""Safe outputs: every file and folder framing writes appears whole or not at all, and never over
something that is not a previous output.

- :func:`check_file_target` / :func:`check_report_target` refuse, before any work, an output path
  that is a folder where a file is wanted (or the reverse), whose parent cannot be written, that is
  one of the inputs, or (for a report) a folder that holds anything but a previous report.
- :func:`output_lock` takes an exclusive lock file next to the target (``O_CREAT | O_EXCL``), so a
  second writer to the same path stops at once with a line naming the first; a lock left by a
  process that no longer runs is taken over.
- :func:`atomic_file` / :func:`atomic_folder` write into a temporary sibling whose name is unique per
  process (``.<name>.framing-tmp-<host>-<pid>-<random>``) and move it into place with ``os.replace``;
  an old report is swapped out in one step (``renameat2(RENAME_EXCHANGE)`` on Linux; elsewhere two
  renames) and then deleted. A failed or interrupted write removes its temporary, and leftovers of
  killed runs (whose pid no longer runs on this host) are removed by the next run to the same path.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import socket
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from framing._errors import OutputError

__all__ = ["is_report_folder", "check_file_target", "check_report_target", "output_lock", "atomic_file",
           "atomic_folder", "write_csv", "PROVENANCE"]

PROVENANCE = "provenance.json"
_HOST = re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:24] or "host"
_TAG = "framing-"  # temporaries: .<name>.framing-tmp-<host>-<pid>-<random>; old reports: ...framing-old-...
_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.framing-(?:tmp|old)-(?P<host>[A-Za-z0-9]+)-(?P<pid>\d+)-[^/]*$")
_HELD: dict[str, int] = {}  # lock files this process holds -> depth (nested writers of one path)
_HELD_LOCK = threading.Lock()


# ----------------------------------------------------------------------------------- checks
def is_report_folder(path: str | os.PathLike) -> bool:
    """True when ``path`` is a folder written by :func:`framing.render_report` (it holds the report's
    ``provenance.json`` with a framing version and parameters).

    Only such folders are ever replaced by a new report.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> from framing._atomic import is_report_folder
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> is_report_folder(folder)
    False
    >>> _ = (folder / "provenance.json").write_text(json.dumps({"framing_version": "0.1.0", "parameters": {}}))
    >>> is_report_folder(folder)
    True
    """
    prov = Path(path) / PROVENANCE
    try:
        if not Path(path).is_dir() or Path(path).is_symlink() or prov.stat().st_size > 50_000_000:
            return False
        record = json.loads(prov.read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(record, dict) and "framing_version" in record and isinstance(record.get("parameters"), dict)


def _writable_parent(path: Path, option: str, shown: Path) -> None:
    """The nearest existing ancestor of ``path`` must be a folder this process may write in."""
    path, parent = shown, path.parent
    while not parent.exists():
        if parent.is_symlink():  # a dangling link
            raise OutputError(f"{option} {path}: {parent} is a broken link; choose another path")
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(f"{option} {path}: {parent} is a file, not a folder; choose another path")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{option} {path}: cannot write in {parent} (permission denied); choose a folder you "
                          f"can write in")


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _resolved(p) -> Path:
    return Path(os.path.abspath(os.path.expanduser(str(p)))).resolve()


def check_file_target(path: str | os.PathLike, *, option: str = "--output",
                      inputs: Iterable[str | os.PathLike] = (), hint: str = "") -> Path:
    """Refuse a path that cannot take an output file, with one line, before any work.

    A folder, a path under a file, a parent this process cannot write in, or one of the inputs
    (or a path inside an input folder) is an :class:`~framing._errors.OutputError`. Returns the path.
    """
    path = Path(path).expanduser()
    if str(path) in ("", "."):
        raise OutputError(f"{option} needs a file name{hint}")
    if path.is_dir():
        raise OutputError(f"{option} {path}: is a folder; give a file name such as {path / ('out' + hint)}"
                          if hint.startswith(".") else f"{option} {path}: is a folder; give a file name")
    full = _resolved(path)
    for inp in inputs:
        if inp is None or "://" in str(inp):
            continue
        src = _resolved(inp)
        if full == src or (src.is_dir() and _inside(full, src)):
            raise OutputError(f"{option} {path}: would write over or inside the input {inp}; write the output "
                              f"somewhere else")
    _writable_parent(full, option, path)
    return path


def check_report_target(out: str | os.PathLike, *, inputs: Iterable[str | os.PathLike] = (),
                        option: str = "--out") -> Path:
    """Refuse a report folder that would destroy anything but a previous report, before any work.

    ``out`` may be absent, an empty folder or a previous report (:func:`is_report_folder`). A
    file, the current folder or one of its parents, an input (or a folder inside or around one)
    and a folder holding anything else are refused with one line saying what to do.
    """
    out = Path(out).expanduser()
    full = _resolved(out)
    cwd = Path.cwd().resolve()
    what = "choose a new folder name, e.g. --out reports/mine"
    if str(out) in ("", ".") or _inside(cwd, full):
        raise OutputError(f"{option} {out}: is the current folder{'' if full == cwd else ' or one of its parents'}; "
                          f"the report replaces its folder, so {what}")
    for inp in inputs:
        if inp is None or "://" in str(inp):
            continue
        src = _resolved(inp)
        if _inside(full, src) or _inside(src, full):
            raise OutputError(f"{option} {out}: is {'the input' if full == src else 'inside or around the input'} "
                              f"{inp}; the report replaces its folder, so {what}")
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise OutputError(f"{option} {out}: is a {'link' if out.is_symlink() else 'file'}, not a report folder; "
                          f"{what}")
    if out.is_dir():
        try:
            entries = [e.name for e in os.scandir(out)]
        except OSError as exc:
            raise OutputError(f"{option} {out}: cannot read the folder ({exc.strerror}); {what}") from None
        if entries and not is_report_folder(out):
            shown = ", ".join(sorted(entries)[:3]) + (", ..." if len(entries) > 3 else "")
            raise OutputError(f"{option} {out}: the folder holds other files ({shown}) and is not a previous "
                              f"report (no {PROVENANCE}); nothing was changed; {what}")
    _writable_parent(full, option, out)
    return out


# ----------------------------------------------------------------------------------- leftovers
def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:  # pragma: no cover
        return True
    return True


def clean_leftovers(target: str | os.PathLike) -> list[Path]:
    """Remove the temporaries and swapped-out reports of ``target`` left by killed runs on this host.

    Only names of the form ``.<name>.framing-tmp|old-<host>-<pid>-...`` whose host is this one and
    whose pid no longer runs are removed. Returns what was removed.
    """
    target = Path(target)
    removed = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        m = _LEFTOVER.match(entry.name)
        if not m or m["name"] != target.name or m["host"] != _HOST or _alive(int(m["pid"])):
            continue
        p = Path(entry.path)
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
        removed.append(p)
    return removed


def _temp_prefix(target: Path, kind: str = "tmp") -> str:
    return f".{target.name}.{_TAG}{kind}-{_HOST}-{os.getpid()}-"


# ----------------------------------------------------------------------------------- the lock
def _lock_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.framing-lock")


@contextmanager
def output_lock(target: str | os.PathLike, *, option: str = "--output") -> Iterator[Path]:
    """Hold an exclusive lock on writing ``target`` (a file ``.<name>.framing-lock`` beside it).

    A second process writing the same path gets an :class:`OutputError` naming the first (its pid,
    host and command); a lock whose process no longer runs on this host is taken over. Nested
    writers of one path in one process share the lock. Leftovers of killed runs to the same path
    are removed first (:func:`clean_leftovers`).
    """
    target = Path(target).expanduser()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{option} {target}: cannot create the folder {target.parent} ({exc.strerror}); "
                          f"choose another path") from None
    lock = _lock_path(_resolved(target))
    key = str(lock)
    with _HELD_LOCK:
        if key in _HELD:
            _HELD[key] += 1
            held = True
        else:
            held = False
    if held:
        try:
            yield lock
        finally:
            with _HELD_LOCK:
                _HELD[key] -= 1
        return
    record = json.dumps({"pid": os.getpid(), "host": _HOST, "command": " ".join(sys.argv)[:300]})
    for _attempt in range(3):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            other = _read_lock(lock)
            if other.get("host") == _HOST and isinstance(other.get("pid"), int) and not _alive(other["pid"]):
                lock.unlink(missing_ok=True)  # left by a killed run
                continue
            who = (f"pid {other.get('pid')} on {other.get('host')}: {other.get('command', '?')}"
                   if other else "a process that has not written its pid yet")
            raise OutputError(f"{option} {target}: another framing process is writing it ({who}); wait for it "
                              f"to finish, or choose another path (if it no longer runs, delete {lock})") from None
        except OSError as exc:
            raise OutputError(f"{option} {target}: cannot write in {lock.parent} ({exc.strerror}); choose a "
                              f"folder you can write in") from None
        with os.fdopen(fd, "w") as fh:
            fh.write(record)
        break
    else:  # pragma: no cover - another process keeps taking the stale lock
        raise OutputError(f"{option} {target}: could not take the lock {lock}; try again")
    with _HELD_LOCK:
        _HELD[key] = 1
    try:
        clean_leftovers(target)
        yield lock
    finally:
        with _HELD_LOCK:
            del _HELD[key]
        lock.unlink(missing_ok=True)


def _read_lock(lock: Path) -> dict:
    try:
        record = json.loads(lock.read_text("utf-8")[:2000])
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


# ----------------------------------------------------------------------------------- writing
_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS}


def _is_write_error(exc: OSError, *paths: Path) -> bool:
    """Did writing the output fail (a full disk, a read-only file system, the temporary itself)?"""
    if exc.errno in _WRITE_ERRNOS or "No space left" in str(exc):
        return True
    names = {str(p) for p in paths}
    return any(str(f) in names for f in (exc.filename, exc.filename2) if f is not None)


def _full_disk(target: Path, exc: OSError) -> OutputError:
    reason = "the disk is full" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else exc.strerror or str(exc)
    kept = "the previous one is kept unchanged" if target.exists() else "nothing was written"
    return OutputError(f"{target}: could not be written ({reason}); {kept}")


@contextmanager
def atomic_file(target: str | os.PathLike, *, mode: int = 0o644) -> Iterator[Path]:
    """Yield a unique temporary path beside ``target``; move it onto ``target`` when the block ends
    without an error (``os.replace``: readers see the old file or the new one, never a part).

    On an error (a full disk, an interruption) the temporary is removed and ``target`` is left as
    it was; an ``OSError`` becomes one line (:class:`OutputError`) saying the previous file is kept.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from framing._atomic import atomic_file
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_file(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text(), [p.name for p in target.parent.iterdir()]
    ('done', ['out.txt'])
    """
    target = Path(target).expanduser()
    with output_lock(target):
        fd, name = tempfile.mkstemp(prefix=_temp_prefix(target), dir=target.parent)
        os.close(fd)
        tmp = Path(name)
        try:
            yield tmp
            os.chmod(tmp, mode)
            os.replace(tmp, target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            if _is_write_error(exc, tmp, target):
                raise _full_disk(target, exc) from None
            raise  # e.g. an input that cannot be read while the output is written: not about the output
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV):  # not on this file system
        return False
    raise OSError(err, os.strerror(err), str(b))


@contextmanager
def atomic_folder(target: str | os.PathLike, *, replace_if=is_report_folder) -> Iterator[Path]:
    """Yield a unique temporary folder beside ``target``; put it in place of ``target`` at the end.

    ``target`` may be absent or empty, or a folder ``replace_if`` accepts (a previous report); it is
    swapped with the new folder in one step, so there is always a folder at ``target`` (old or
    new), then the old one is deleted. Anything else at ``target`` when the block ends is an
    :class:`OutputError` and is left alone. On an error the temporary folder is removed.
    """
    target = Path(target).expanduser()
    with output_lock(target, option="--out"):
        tmp = Path(tempfile.mkdtemp(prefix=_temp_prefix(target), dir=target.parent))
        try:
            yield tmp
            tmp.chmod(0o755)  # mkdtemp makes it private; a report is meant to be shared
            try:
                _swap_in(tmp, target, replace_if)
            except OSError as exc:
                raise _full_disk(target, exc) from None
        finally:
            shutil.rmtree(tmp, ignore_errors=True)  # gone already when swapped in


def _swap_in(new: Path, target: Path, replace_if) -> None:
    if not target.exists() and not target.is_symlink():
        os.rename(new, target)
        return
    if target.is_symlink() or not target.is_dir():
        raise OutputError(f"{target}: became a file or link while the report was written; it was left alone and "
                          f"the new report discarded")
    if any(os.scandir(target)) and not replace_if(target):
        raise OutputError(f"{target}: files appeared in it while the report was written and it is not a "
                          f"previous report; it was left alone and the new report discarded")
    if _exchange(new, target):  # target is now the new report, `new` the old one
        old = new
    else:  # two renames: a moment without a folder at target
        old = Path(tempfile.mkdtemp(prefix=_temp_prefix(target, "old"), dir=target.parent))
        os.rmdir(old)
        os.rename(target, old)
        os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


def write_csv(table, path: str | os.PathLike, **kwargs) -> Path:
    """``table.to_csv(path, **kwargs)`` through :func:`atomic_file` (defaults: no index, ``\\n`` line ends)."""
    kwargs.setdefault("index", False)
    kwargs.setdefault("lineterminator", "\n")
    with atomic_file(path) as tmp:
        table.to_csv(tmp, **kwargs)
    return Path(path)
