"""environment.yml, requirements.in, pyproject.toml, requirements-nodeps.txt and requirements.lock stay in step."""
from __future__ import annotations

import re
import tomllib

import pytest
import yaml

from arabic_news import config

ROOT = config.PROJECT_ROOT
HEAVY = re.compile(r"^(torch|torchvision|torchaudio|transformers|triton|nvidia-.*|cuda-.*|tensorflow.*|jax.*)$")


def canonical(name: str) -> str:
    """PEP 503 name without extras: 'Dask[dataframe]' -> 'dask'."""
    return re.sub(r"[-_.]+", "-", name.split("[")[0].strip()).lower()


def requirement_name(line: str) -> str:
    return canonical(re.split(r"[<>=!~;\s@]", line.strip(), maxsplit=1)[0])


def read_requirements(path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            out.append(line)
    return out


@pytest.fixture(scope="module")
def lock() -> dict[str, str]:
    pins = {}
    for line in read_requirements(ROOT / "requirements.lock"):
        assert "==" in line, f"requirements.lock: {line!r} is not pinned with =="
        name, version = line.split("==", 1)
        pins[canonical(name)] = version.strip()
    return pins


@pytest.fixture(scope="module")
def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def env() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def nodeps() -> dict[str, str]:
    pins = {}
    for line in read_requirements(ROOT / "requirements-nodeps.txt"):
        assert "==" in line, f"requirements-nodeps.txt: {line!r} is not pinned with =="
        name, version = line.split("==", 1)
        pins[canonical(name)] = version.strip()
    return pins


def test_every_direct_dependency_is_pinned_in_the_lock(lock):
    direct = {requirement_name(r) for r in read_requirements(ROOT / "requirements.in")}
    assert direct, "requirements.in lists no dependency"
    missing = sorted(direct - set(lock))
    assert not missing, f"in requirements.in but not pinned in requirements.lock: {missing}"


def test_pyproject_dependencies_are_in_requirements_in_and_the_lock(pyproject, lock):
    declared = {requirement_name(d) for d in pyproject["project"]["dependencies"]}
    direct = {requirement_name(r) for r in read_requirements(ROOT / "requirements.in")}
    assert not declared - direct, f"pyproject dependencies missing from requirements.in: {sorted(declared - direct)}"
    assert not declared - set(lock), f"pyproject dependencies not pinned in the lock: {sorted(declared - set(lock))}"


def test_python_version_is_311_everywhere(env, pyproject):
    assert "python=3.11" in [d for d in env["dependencies"] if isinstance(d, str)]
    assert pyproject["project"]["requires-python"] == ">=3.11,<3.12"
    assert "python 3.11" in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()[0].lower()


def test_environment_yml_installs_the_lock_and_the_project(env):
    assert env["name"] == "arabic-news"
    pip_sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip_sections) == 1
    assert pip_sections[0] == ["-r requirements.lock", "-e ."]
    assert "pip" in env["dependencies"]
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert "pip install --no-deps -r requirements-nodeps.txt" in text


def test_default_lock_is_cpu_only_and_lean(lock, nodeps):
    heavy = sorted(n for n in lock if HEAVY.match(n))
    assert not heavy, f"requirements.lock pulls GPU/deep-learning packages: {heavy}"
    # a package installed with --no-deps must not be in the lock: `pip install -r requirements.lock` would
    # resolve its dependencies (camel-tools -> torch + transformers, a multi-GB CUDA build)
    both = sorted(set(nodeps) & set(lock))
    assert not both, f"{both} pinned in requirements.lock; keep them only in requirements-nodeps.txt"


def test_nodeps_file_matches_the_full_extra_and_is_used_by_the_makefile(nodeps, pyproject):
    assert nodeps == {"camel-tools": "1.6.0"}
    full = {requirement_name(d): d for d in pyproject["project"]["optional-dependencies"]["full"]}
    assert full["camel-tools"].replace(" ", "") == "camel-tools==1.6.0"
    assert {"torch", "transformers"} <= set(full)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "NODEPS := requirements-nodeps.txt" in makefile
    assert "pip install --quiet --no-deps -r $(NODEPS)" in makefile
    assert "pip install --quiet -r requirements.lock" in makefile


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```(?:bash|sh)?\n(.*?)```", readme, re.S).group(1)
    commands = [ln.split("#")[0].strip() for ln in first_block.splitlines() if ln.strip()]
    assert commands == ["make reports", "make test"]
    assert readme.index("make reports") < 400
    ci = [ln.strip() for ln in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
          if ln.strip() and not ln.strip().startswith("#")]
    assert ci[-1] == "make test"
    assert "pip install --no-deps -r requirements-nodeps.txt" in readme
