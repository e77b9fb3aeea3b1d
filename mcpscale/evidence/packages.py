"""Packages that launch MCP servers (npx, uvx, pipx, docker ...): name, version, pinned or not."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

_SEMVER = re.compile(r"^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$")


# Options that take a value, per runner, so the value is not mistaken for the package.
_VALUE_OPTIONS = {
    "npx": {"--package", "-p", "--cache", "--registry", "--userconfig", "-c", "--call"},
    "uvx": {
        "--from", "--with", "--with-editable", "--with-requirements", "--python", "-p",
        "--index", "--index-url", "--default-index", "--extra-index-url", "--find-links",
        "-f", "--constraints", "-c", "--overrides",
    },
    "pipx": {"--spec", "--python", "--pip-args", "--index-url", "--editable"},
    "docker": {
        "-e", "--env", "--env-file", "-v", "--volume", "--mount", "--name", "-p", "--publish",
        "--network", "--net", "-w", "--workdir", "-u", "--user", "--entrypoint", "-l",
        "--label", "--label-file", "--platform", "--pull", "-m", "--memory", "--cpus",
        "--add-host", "--cap-add", "--cap-drop", "--device", "--dns", "-h", "--hostname",
        "--ipc", "--log-driver", "--log-opt", "--restart", "--runtime", "--security-opt",
        "--shm-size", "--tmpfs", "--ulimit", "--gpus", "--pid", "--cidfile", "--expose",
    },
}  # fmt: skip
_PACKAGE_OPTIONS = {"npx": ("--package", "-p"), "uvx": ("--from",), "pipx": ("--spec",)}


def package_launched(command: str, args: list[str]) -> tuple[str, str, int, bool] | None:
    """(runner, package, index of its argument, pinned) when a package runner launches it."""
    runner = PurePosixPath(command.replace("\\", "/")).name.lower()
    runner = re.sub(r"\.(cmd|exe|bat)$", "", runner)
    start = 0
    if runner in ("uv", "uvx") and args[:2] == ["tool", "run"]:
        runner, start = "uvx", 2
    elif runner in ("pipx", "docker", "podman") and args[:1] == ["run"]:
        runner, start = ("docker" if runner == "podman" else runner), 1
    elif runner == "pnpm" and args[:1] == ["dlx"] or runner == "npm" and args[:1] == ["exec"]:
        runner, start = "npx", 1
    elif runner == "bunx":
        runner = "npx"
    elif runner not in ("npx", "uvx"):
        return None
    value_options = _VALUE_OPTIONS[runner]
    index = start
    while index < len(args):
        arg = args[index]
        option, equals, value = arg.partition("=")
        if option in _PACKAGE_OPTIONS.get(runner, ()):
            package, at = (value, index) if equals else (_get(args, index + 1), index + 1)
            if package:
                return runner, package, at, _pinned(runner, package)
        if not arg.startswith("-"):
            return runner, arg, index, _pinned(runner, arg)
        index += 2 if arg in value_options else 1
    return None


def _get(args: list[str], index: int) -> str | None:
    return args[index] if index < len(args) else None


def _split_version(runner: str, package: str) -> tuple[str, str | None]:
    if runner == "docker":
        if "@" in package:
            name, _, digest = package.partition("@")
            return name, "@" + digest
        head, colon, tag = package.rpartition(":")
        return (head, tag) if colon and "/" not in tag else (package, None)
    if runner == "npx":
        at = package.find("@", 1)  # "@scope/name@1.2.3": the scope's @ is not a version
        return (package[:at], package[at + 1 :]) if at > 0 else (package, None)
    match = re.match(r"^([A-Za-z0-9_.\-\[\],]+)\s*(==|@)\s*(.+)$", package)
    return (match.group(1), match.group(3)) if match else (package, None)


def _package_name(runner: str, package: str) -> str:
    return _split_version(runner, package)[0].lower()


def _pinned(runner: str, package: str) -> bool:
    version = _split_version(runner, package)[1]
    if version is None:
        return False
    if runner == "docker" and version.startswith("@sha256:"):
        return True
    return bool(_SEMVER.match(version))
