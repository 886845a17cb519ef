"""The one writer of every file beiwen produces, and the guard that keeps it off its own data.

Exports, reports, calendars, rejected rows and backups all come through `write_file` (or, for
SQLite's backup, which needs a path, `staged_path`). The rules it owns:

- The target is refused before anything is written when it is, or resolves to (through
  symbolic links, `..` or a hard link: same device and inode), a protected file: the open
  database and its `-wal`, `-shm` and `-journal`, the file being imported, or a backup being
  written. `protect()` registers them; `db.open_db` and the import pipeline call it.
- Only a regular file (or a name not yet taken) is written. A device, FIFO, socket or
  folder is refused, and so is a symbolic link: beiwen never writes through a link.
- The data goes to a nameless file in the target's folder (Linux `O_TMPFILE`; a hidden
  temporary name where that is missing), is fsynced, then takes the target's name in one
  rename. An error or a kill leaves the old target as it was and nothing beside it.
- The new file has mode 0600: exports and rejects carry personal data.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from beiwen.errors import BeiwenError
from beiwen.i18n import t

TEMP_PREFIX = ".beiwen-"
TEMP_SUFFIX = ".tmp"
_MAX_SHOWN_PATH = 200

# (device, inode) of each protected file that exists, and the resolved paths of all of them
# (a -wal that SQLite has not yet made still has a name to refuse).
# Each path holds a count: two connections to one database keep it protected until both close.
_protected: dict[str, tuple[str, int]] = {}


def shown(path: Path | str) -> str:
    """`path` as an error message shows it: a path of thousands of characters is cut."""
    text = str(path)
    return text if len(text) <= _MAX_SHOWN_PATH else text[:_MAX_SHOWN_PATH] + "…"


def os_error(path: Path | str, error: OSError) -> BeiwenError:
    """The one wording of a failed file operation."""
    if error.errno == errno.ENAMETOOLONG:
        return BeiwenError(t("files.name_too_long", path=shown(path)))
    detail = error.strerror or str(error)
    return BeiwenError(t("error.cannot_write", path=shown(path), detail=detail))


def protect(path: Path, what: str, *, sidecars: bool = False) -> None:
    """Refuse every write to `path` (and its SQLite sidecars) in this process until
    `unprotect`: the database while its connection is open, a file while it is imported."""
    for name in _with_sidecars(path, sidecars):
        key = _resolved(name)
        _protected[key] = (what, _protected.get(key, (what, 0))[1] + 1)


def unprotect(path: Path, *, sidecars: bool = False) -> None:
    for name in _with_sidecars(path, sidecars):
        key = _resolved(name)
        what, count = _protected.get(key, ("", 0))
        if count > 1:
            _protected[key] = (what, count - 1)
        else:
            _protected.pop(key, None)


@contextlib.contextmanager
def protected(path: Path, what: str) -> Iterator[None]:
    protect(path, what)
    try:
        yield
    finally:
        unprotect(path)


def _with_sidecars(path: Path, sidecars: bool) -> list[Path]:
    if not sidecars:
        return [path]
    return [path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))]


def _resolved(path: Path) -> str:
    try:
        return os.path.realpath(path)
    except (OSError, ValueError):
        return os.path.abspath(path)


def _identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def check_target(path: Path) -> None:
    """Raise unless `path` may be (over)written: see the module's rules."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise os_error(path, error) from None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise BeiwenError(t("files.symlink", path=shown(path)))
        if not stat.S_ISREG(info.st_mode):
            raise BeiwenError(t("files.not_regular", path=shown(path), kind=_kind(info.st_mode)))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise BeiwenError(t("files.no_folder", path=shown(path), folder=shown(folder)))
    resolved = _resolved(path)
    target = (info.st_dev, info.st_ino) if info is not None else None
    for protected, (what, _count) in _protected.items():
        if resolved == protected or (target is not None and target == _identity(protected)):
            raise BeiwenError(t("files.protected", path=shown(path), what=t(f"files.what_{what}")))


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return t("files.kind_directory")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return t("files.kind_device")
    if stat.S_ISFIFO(mode):
        return t("files.kind_fifo")
    if stat.S_ISSOCK(mode):
        return t("files.kind_socket")
    return t("files.kind_other")


def write_file(path: Path, write: Callable[[IO[bytes]], object]) -> None:
    """Call `write(handle)` on a fresh binary file and make it `path`, all or nothing."""
    check_target(path)
    folder = str(path.parent) if str(path.parent) else "."
    sweep_stale(folder)
    try:
        fd, temp_name = _open_nameless(folder)
    except OSError as error:
        raise os_error(path, error) from None
    try:
        with os.fdopen(fd, "wb", closefd=False) as handle:
            write(handle)
            handle.flush()
            os.fsync(fd)
        check_target(path)  # the target may have changed while we wrote
        if temp_name is None and _link_nameless(fd, folder, path.name):
            # A new file: the nameless one takes the target's name in one step, so there is
            # no moment at which a kill could leave a temporary name behind.
            _fsync_folder(folder)
            return
        if temp_name is None:  # replacing a file: a temporary name now, the target's at once
            temp_name = _name_nameless(fd, folder)
        os.replace(temp_name, path)
        temp_name = None
        _fsync_folder(folder)
    except OSError as error:
        raise os_error(path, error) from None
    finally:
        os.close(fd)
        if temp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)


def write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    write_file(path, lambda handle: handle.write(text.encode(encoding)))


def _open_nameless(folder: str) -> tuple[int, str | None]:
    """A 0600 file in `folder` open for writing: nameless where the system allows it."""
    nameless = getattr(os, "O_TMPFILE", 0)
    if nameless and os.path.isdir("/proc/self/fd"):
        try:
            return os.open(folder, nameless | os.O_RDWR, 0o600), None
        except OSError as error:
            if error.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
                raise
    name = _fresh_temp_name(folder)
    return os.open(name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600), name


def _name_nameless(fd: int, folder: str) -> str:
    """Link the nameless file `fd` into `folder` under a fresh temporary name.

    Some file systems (overlay, some network ones) refuse the link; the bytes are then copied
    into a named temporary file, which a kill in the next moment could leave behind.
    """
    name = _fresh_temp_name(folder)
    if _link_nameless(fd, folder, os.path.basename(name)):
        return name
    copy = os.open(name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        size = os.fstat(fd).st_size
        offset = 0
        while offset < size:
            sent = os.sendfile(copy, fd, offset, size - offset)
            if sent == 0:
                break
            offset += sent
        os.fsync(copy)
    except BaseException:
        os.close(copy)
        os.unlink(name)
        raise
    os.close(copy)
    return name


def _link_nameless(fd: int, folder: str, name: str) -> bool:
    """Give the nameless file `fd` the name `name` in `folder`; False where that cannot be
    done (not a nameless file, the name is taken, or the file system refuses the link)."""
    try:
        folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False
    try:
        # linkat(AT_SYMLINK_FOLLOW) through /proc: Python calls linkat only with a dir_fd.
        os.link(f"/proc/self/fd/{fd}", name, dst_dir_fd=folder_fd, follow_symlinks=True)
        return True
    except OSError:
        return False
    finally:
        os.close(folder_fd)


def _fresh_temp_name(folder: str) -> str:
    return os.path.join(folder, f"{TEMP_PREFIX}{os.getpid()}-{os.urandom(6).hex()}{TEMP_SUFFIX}")


def _fsync_folder(folder: str) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def staged_path(path: Path, what: str = "backup") -> Iterator[Path]:
    """A temporary path beside `path` for writers that need a file name (SQLite's backup).

    The block writes the temporary file; when it ends without error the file is fsynced and
    renamed to `path`. On any error it is removed. A kill leaves a hidden `.beiwen-…tmp`
    file, never a partial `path`; `sweep_stale` removes such leftovers later.
    """
    check_target(path)
    folder = str(path.parent) if str(path.parent) else "."
    sweep_stale(folder)
    temp = Path(_fresh_temp_name(folder))
    protect(temp, what, sidecars=True)
    try:
        yield temp
        fd = os.open(temp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(temp, 0o600)
        check_target(path)
        os.replace(temp, path)
        _fsync_folder(folder)
    except OSError as error:
        raise os_error(path, error) from None
    finally:
        unprotect(temp, sidecars=True)
        sidecars = (temp.with_name(temp.name + suffix) for suffix in ("-journal", "-wal", "-shm"))
        for leftover in (temp, *sidecars):
            with contextlib.suppress(OSError):
                leftover.unlink()


def sweep_stale(folder: str) -> None:
    """Remove `.beiwen-PID-….tmp` files left in `folder` by a killed beiwen process."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            name = entry.name
            if not (name.startswith(TEMP_PREFIX) and TEMP_SUFFIX in name):
                continue
            pid_text = name[len(TEMP_PREFIX) :].split("-", 1)[0]
            if pid_text.isascii() and pid_text.isdigit() and not _alive(int(pid_text)):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
