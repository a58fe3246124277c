"""The layer contract (pyproject.toml's [tool.importlinter]) names every package of kfcheck and
refuses an import from a lower layer into a higher one; the import graph has no cycles."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
# The verifier's own cycle (annotations only), left to its owner.
KNOWN_CYCLES = {frozenset({"kfcheck.verifier.env", "kfcheck.verifier.progtypes"})}


def _layers() -> list[list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    (contract,) = config["tool"]["importlinter"]["contracts"]
    return [[name.strip() for name in layer.split("|")] for layer in contract["layers"]]


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports with the project's contract over the package copied under ``tree``."""
    env = dict(os.environ, PYTHONPATH=str(tree / "src"))
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config",
                           str(ROOT / "pyproject.toml")], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "src" / "kfcheck", tmp_path / "src" / "kfcheck",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_contract_names_every_module_of_kfcheck() -> None:
    listed = {name for layer in _layers() for name in layer}
    package = ROOT / "src" / "kfcheck"
    present = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    present |= {p.parent.name for p in package.glob("*/__init__.py")}
    assert listed == present


def test_isa_is_the_lowest_kfcheck_package() -> None:
    names = [layer for layer in _layers() if "isa" in layer]
    below = _layers()[_layers().index(names[0]) + 1:]
    # Below isa only the foundation modules, which import no package of kfcheck.
    assert {n for layer in below for n in layer} == {"host", "files", "uapi", "errors"}


def test_lower_layer_importing_a_higher_one_breaks_the_contract(tmp_path: Path) -> None:
    tree = _copy(tmp_path)
    clean = _lint(tree)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    opcodes = tree / "src" / "kfcheck" / "isa" / "opcodes.py"
    opcodes.write_text(opcodes.read_text() + "\nfrom kfcheck.link import linker  # noqa\n")
    broken = _lint(tree)
    assert broken.returncode != 0
    assert "kfcheck.isa is not allowed to import kfcheck.link" in broken.stdout


def test_siblings_verifier_and_kernel_are_independent(tmp_path: Path) -> None:
    tree = _copy(tmp_path)
    check = tree / "src" / "kfcheck" / "verifier" / "check.py"
    check.write_text(check.read_text() + "\nfrom kfcheck.kernel import oracle  # noqa\n")
    broken = _lint(tree)
    assert broken.returncode != 0
    assert "kfcheck.verifier is not allowed to import kfcheck.kernel" in broken.stdout


def test_no_import_cycles() -> None:
    graph = grimp.build_graph("kfcheck")
    cycles = {frozenset({module, imported})
              for module in graph.modules
              for imported in graph.find_modules_directly_imported_by(module)
              if graph.chain_exists(importer=imported, imported=module)}
    assert cycles <= KNOWN_CYCLES
