"""Opening and decoding input files: compression, sha256, encodings, and read errors as one line.

The encoding rule (one place, used by every reader):

1. ``encoding=`` given: that codec, for the whole file.
2. A byte-order mark: UTF-8 (``utf-8-sig``), UTF-32 or UTF-16.
3. NUL bytes without a byte-order mark: not text (a binary file, or UTF-16/32 saved without a
   BOM) -- an error naming the file and the line.
4. UTF-8, when the whole file decodes as UTF-8 (the common case: no detection runs at all).
5. Otherwise charset-normalizer detects the encoding. Candidates it scores (almost) equally but
   that decode to different text are told apart by the characters of the file's UTF-8 part (mixed
   files), else by the order cp1252, cp1251, cp1250, cp1256 when a language was recognised; a
   detection that stays unsure is an error that names the file and says to pass ``encoding=``.
   Tables whose lines are partly UTF-8 and partly another encoding are decoded line by line, and
   the encoding of each record is recorded.
"""

from __future__ import annotations

import bz2
import codecs
import errno
import gzip
import hashlib
import io
import lzma
import zlib
from dataclasses import dataclass
from pathlib import Path

from framing._errors import CorpusError
from framing.readers import compression_of

__all__ = ["display", "open_binary", "probe", "decode_bytes", "decode_lines", "read_error", "Probe"]

BLOCK = 1 << 20
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_PREFERRED = ("cp1252", "cp1251", "cp1250", "cp1256")  # tie-break between equally likely candidates
_LABELS = ("cp1252", "cp1251", "cp1250", "cp1256", "euc_kr", "shift_jis", "euc_jp", "gb2312", "big5")
_CLOSE = 0.02  # candidates within this chaos/coherence of the best are "equally likely"


def display(path: Path | str) -> str:
    """A path as messages show it: relative to the working directory when inside it."""
    path = Path(path)
    try:
        return str(path.absolute().relative_to(Path.cwd().absolute()))
    except ValueError:
        return str(path)


class _Hashing(io.RawIOBase):
    """A raw file that updates a sha256 with every byte read (one pass: hash and decompress)."""

    def __init__(self, fh):
        self._fh = fh
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self._fh.readinto(buffer)
        if n:
            self.digest.update(memoryview(buffer)[:n])
        return n

    def close(self) -> None:
        self._fh.close()
        super().close()


def _decompressed(raw, name: str):
    comp = compression_of(name)
    if comp == ".gz":
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if comp == ".bz2":
        return bz2.BZ2File(raw, "rb")
    if comp == ".xz":
        return lzma.LZMAFile(raw, "rb")
    return raw


def open_binary(path: Path):
    """The file's bytes, decompressed (``.gz``, ``.bz2``, ``.xz``) as they are read."""
    raw = open(path, "rb")
    return _decompressed(raw, path.name) if compression_of(path.name) else raw


def read_error(exc: BaseException, where: str) -> CorpusError:
    """One-line error for a file that cannot be read (permissions, I/O, corrupt compression)."""
    if isinstance(exc, CorpusError):
        return exc
    if isinstance(exc, PermissionError):
        why = "permission denied; check the file's permissions (or pass skip_bad=True / --skip-bad to skip and list it)"
    elif isinstance(exc, IsADirectoryError):
        why = "is a folder where a file was expected"
    elif isinstance(exc, FileNotFoundError):
        why = "the file disappeared while it was being read"
    elif isinstance(exc, (EOFError, zlib.error, lzma.LZMAError, gzip.BadGzipFile)) or \
            (isinstance(exc, OSError) and "compressed" in str(exc).lower()):
        why = (f"the compressed data is corrupt or truncated ({type(exc).__name__}: {exc}); copy the file "
               f"again (or pass skip_bad=True / --skip-bad to skip and list it)")
    elif isinstance(exc, OSError) and exc.errno == errno.EIO:
        why = "input/output error from the disk (EIO); copy the file to healthy storage (or pass skip_bad=True / --skip-bad)"
    else:
        why = f"cannot be read ({type(exc).__name__}: {exc}) (pass skip_bad=True / --skip-bad to skip and list it)"
    return CorpusError(f"{where}: {why}")


READ_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError)


@dataclass
class Probe:
    """What one pass over a text file found: its sha256 and how to decode it."""

    sha256: str
    encoding: str | None  # None: not UTF-8 (nor BOM-marked): decode with decode_lines
    size: int  # decompressed bytes


def _nul_error(where: str, line: int) -> CorpusError:
    return CorpusError(
        f"{where}, line {line}: the file holds NUL bytes, so it is not text: a binary file, or UTF-16/UTF-32 "
        f"saved without a byte-order mark; re-save it as UTF-8 (or pass encoding='utf-16-le' etc. if you "
        f"know it)")


def probe(path: Path, where: str, encoding: str | None = None) -> Probe:
    """Hash the file and check its encoding in one pass of 1 MiB blocks (memory stays flat).

    Returns the encoding to read it with: the forced one, the BOM's, ``utf-8``, or None when the
    file is not UTF-8 (then :func:`decode_lines` decides, on the whole file).
    """
    try:
        with open(path, "rb") as fh:
            raw = _Hashing(fh)
            stream = _decompressed(io.BufferedReader(raw, BLOCK), path.name)
            first = stream.read(4)
            size = len(first)
            bom = next((name for mark, name in _BOMS if first.startswith(mark)), None)
            chosen = encoding or bom or "utf-8"
            decoder = codecs.getincrementaldecoder(chosen)()
            check_nul = encoding is None and bom is None
            valid = True
            lines = 1
            block = first
            while True:
                if check_nul and b"\x00" in block:
                    at = block.index(b"\x00")
                    raise _nul_error(where, lines + block.count(b"\n", 0, at))
                if valid:
                    try:
                        decoder.decode(block)
                    except UnicodeDecodeError as exc:
                        if encoding is not None or bom is not None:
                            line = lines + block.count(b"\n", 0, max(exc.start, 0))
                            raise CorpusError(f"{where}, line {line}: not valid {chosen} ({exc.reason}); pass "
                                              f"the right encoding= (--encoding)") from None
                        valid = False
                lines += block.count(b"\n")
                block = stream.read(BLOCK)
                if not block:
                    break
                size += len(block)
            if valid:
                try:
                    decoder.decode(b"", final=True)
                except UnicodeDecodeError:
                    valid = False
            while raw.read(BLOCK):  # bytes after the compressed stream still count in the hash
                pass
            sha = raw.digest.hexdigest()
    except CorpusError:
        raise
    except READ_ERRORS as exc:
        raise read_error(exc, where) from None
    return Probe(sha, chosen if valid else None, size)


def _detect(data: bytes, where: str, context: str | None = None) -> tuple[str, str]:
    """Decode bytes that are not UTF-8 with charset-normalizer: (text, encoding) or an error."""
    from charset_normalizer import from_bytes

    results = list(from_bytes(data))
    hint = ("re-save it as UTF-8, or pass encoding= (command line: --encoding) with its encoding, "
            "e.g. encoding='cp1252'")
    if not results:
        raise CorpusError(f"{where}: not UTF-8, and no text encoding decodes it; {hint}")
    best = min(results, key=lambda m: (m.chaos, -m.coherence))
    close = [m for m in results if m.chaos <= best.chaos + _CLOSE and m.coherence >= best.coherence - _CLOSE]
    texts: dict[str, str] = {}
    for m in close:
        texts.setdefault(str(m), m.encoding)
    if len(texts) > 1 and context:
        seen = set(context)
        fits = {t: e for t, e in texts.items() if all(ch in seen for ch in t if ord(ch) > 127)}
        if len(fits) == 1:
            texts = fits
    if len(texts) > 1 and best.coherence > 0:
        for enc in _PREFERRED:
            decoded = _try(data, enc)
            if decoded is not None and decoded in texts:
                texts = {decoded: enc}
                break
    if len(texts) != 1:
        names = ", ".join(sorted(set(texts.values()))[:5])
        raise CorpusError(f"{where}: not UTF-8, and its encoding cannot be told for sure (it could be {names}); {hint}")
    text = next(iter(texts))
    return text, _label(data, text, texts[text])


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _label(data: bytes, text: str, encoding: str) -> str:
    """The usual name of the encoding that decodes ``data`` to ``text`` (cp1252 over cp1250 ...)."""
    for name in _LABELS:
        if _try(data, name) == text:
            encoding = name
            break
    if encoding == "cp1252" and not any(0x80 <= b <= 0x9F for b in data):
        return "latin-1"  # no cp1252-only character: ISO-8859-1 reads it the same
    return encoding.replace("_", "-")


def decode_bytes(data: bytes, where: str, encoding: str | None = None,
                 declared: str | None = None) -> tuple[str, str]:
    """Decode a whole file (an article, a page, an export): (text, encoding used).

    ``declared`` is the charset a web page declares (tried after UTF-8, before detection).
    """
    if encoding:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise CorpusError(f"{where}, line {line}: not valid {encoding} ({exc.reason}); pass the right "
                              f"encoding= (--encoding)") from None
        except LookupError:
            raise CorpusError(f"{where}: unknown encoding {encoding!r}; use a Python codec name such as "
                              f"'utf-8', 'cp1252', 'cp1251'") from None
    for mark, name in _BOMS:
        if data.startswith(mark):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise CorpusError(f"{where}: starts with a {name} byte-order mark but is not valid {name} "
                                  f"({exc.reason}); re-save it") from None
    if b"\x00" in data:
        raise _nul_error(where, data.count(b"\n", 0, data.index(b"\x00")) + 1)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared:
        decoded = _try(data, declared)
        if decoded is not None:
            return decoded, codecs.lookup(declared).name
    return _detect(data, where)


def decode_lines(data: bytes, where: str) -> tuple[str, str | list[str]]:
    """Decode a table that is not UTF-8: (text, encoding) or (text, encoding of each line).

    When every non-ASCII line fails UTF-8, the file has one legacy encoding (detected). When some
    lines are UTF-8 and others are not, the others are decoded with the encoding detected on them
    (using the UTF-8 lines' characters to tell candidates apart), and each line's encoding is returned.
    """
    lines = data.split(b"\n")
    kinds = []  # 0 ascii, 1 utf-8, 2 other
    for line in lines:
        if line.isascii():
            kinds.append(0)
        else:
            kinds.append(1 if _try(line, "utf-8") is not None else 2)
    if 1 not in kinds:
        return _detect(data, where)
    bad = [i for i, k in enumerate(kinds) if k == 2]
    context = "".join(lines[i].decode("utf-8") for i, k in enumerate(kinds) if k == 1)
    sample = b"\n".join(lines[i] for i in bad)
    try:
        _, legacy = _detect(sample, where, context=context)
    except CorpusError:
        raise CorpusError(
            f"{where}, line {bad[0] + 1}: this line is not UTF-8 while other lines are ({len(bad)} such lines), "
            f"and its encoding cannot be told for sure; re-save the file as UTF-8, or pass encoding= "
            f"(--encoding) to read the whole file in one encoding") from None
    out, encodings = [], []
    for line, k in zip(lines, kinds, strict=True):
        if k == 2:
            out.append(line.decode(legacy))
            encodings.append(legacy)
        else:
            out.append(line.decode("utf-8"))
            encodings.append("utf-8")
    return "\n".join(out), encodings


def read_all(path: Path, where: str) -> bytes:
    """The whole (decompressed) file, with read errors as one line."""
    try:
        with open_binary(path) as fh:
            return fh.read()
    except READ_ERRORS as exc:
        raise read_error(exc, where) from None


def sha256_of(path: Path, where: str) -> str:
    """sha256 of the bytes on disk, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(BLOCK), b""):
                digest.update(block)
    except READ_ERRORS as exc:
        raise read_error(exc, where) from None
    return digest.hexdigest()
