"""The app versions a hot-SKU run compares: this tree ("after") and, when asked, a git revision
("before") exported to a temp dir (``git archive``: no worktree to clean up, the repository
untouched), sharing this tree's npm install for the Cosmos test server."""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from tools.bench.workload import ROOT

NODE_MODULES = Path("tools") / "cosmos" / "node_modules"


@dataclass(frozen=True)
class Version:
    label: str  # "before" | "after"
    revision: str  # short commit hash (this tree: HEAD, "+" when it has uncommitted changes)
    tree: Path


def this_tree() -> Version:
    return Version("after", _describe("HEAD") + ("+" if _dirty() else ""), ROOT)


@contextmanager
def versions(
    before: str | None, after: bool = True, after_revision: str | None = None
) -> Iterator[list[Version]]:
    """``[before, after]`` while the block runs: ``before`` only with a revision, ``after``
    unless told not to: this tree, or ``after_revision`` exported (so that the tree can change
    while a long session runs)."""
    with ExitStack() as stack:
        compared = []
        if before is not None:
            compared.append(
                Version("before", _describe(before), stack.enter_context(_exported(before)))
            )
        if after and after_revision is not None:
            tree = stack.enter_context(_exported(after_revision))
            compared.append(Version("after", _describe(after_revision), tree))
        elif after:
            compared.append(this_tree())
        yield compared


@contextmanager
def _exported(revision: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="bench-version-") as folder:
        _export(revision, Path(folder))
        yield Path(folder)


def _export(revision: str, tree: Path) -> None:
    archive = subprocess.run(
        ["git", "archive", "--format=tar", revision], cwd=ROOT, check=True, capture_output=True
    ).stdout
    with tempfile.TemporaryFile() as spool:
        spool.write(archive)
        spool.seek(0)
        with tarfile.open(fileobj=spool) as tar:
            tar.extractall(tree, filter="data")
    if (ROOT / NODE_MODULES).is_dir():
        (tree / NODE_MODULES).symlink_to(ROOT / NODE_MODULES, target_is_directory=True)


def _describe(revision: str) -> str:
    try:
        return _git("rev-parse", "--short", revision)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"  # not a git checkout: the figures still stand, unlabelled


def _dirty() -> bool:
    try:
        return bool(_git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.CalledProcessError):
        return False


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
