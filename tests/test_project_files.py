"""The set-up files agree with each other: pins, the CI entry point, the README commands."""

import pathlib
import re
import tomllib

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _pyproject_requirements() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = set(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements.update(extra)
    return {r.replace(" ", "") for r in requirements}


def test_environment_yml_pins_the_same_packages_as_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    pinned = {r.replace(" ", "") for r in pip_section if not r.startswith("-e")}
    assert pinned == _pyproject_requirements()
    assert "python=3.11" in env["dependencies"]


def test_torch_is_pinned_to_the_local_cpu_wheel_everywhere():
    assert "torch==2.13.0" in _pyproject_requirements()
    lock = (ROOT / "requirements.lock").read_text()
    assert re.search(r"^torch==2\.13\.0$", lock, re.MULTILINE)


def test_lock_file_satisfies_every_exact_pin():
    lock = dict(
        line.split("==", 1)
        for line in (ROOT / "requirements.lock").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    lock = {k.lower().replace("_", "-"): v for k, v in lock.items()}
    for requirement in _pyproject_requirements():
        name, _, version = requirement.partition("==")
        if version and not version.endswith("*"):
            assert lock[name.lower()] == version, requirement


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and "make book" in readme
    assert re.search(r"^make test\b", ci, re.MULTILINE)
    for workflow in (ROOT / ".github" / "workflows").glob("*.yml"):
        text = workflow.read_text()
        assert ".ci/run" in text or "make book" in text, workflow.name
