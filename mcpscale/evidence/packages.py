"""Packages that launch MCP servers (npx, uvx, deno, pipx, docker ...): name, version, pinned."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import NamedTuple

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
_VALUE_OPTIONS["docker"] |= {
    "--stop-timeout", "--stop-signal", "--health-cmd", "--health-interval", "--health-retries",
    "--health-timeout", "--health-start-period", "--health-start-interval", "-c",
    "--cpu-shares", "--cpuset-cpus", "--cpuset-mems", "--cpu-period", "--cpu-quota",
    "--cpu-rt-period", "--cpu-rt-runtime", "--cpu-count", "--cpu-percent", "--memory-swap",
    "--memory-reservation", "--memory-swappiness", "--kernel-memory", "--dns-search",
    "--dns-option", "--domainname", "--mac-address", "--ip", "--ip6", "--link",
    "--link-local-ip", "--network-alias", "--volumes-from", "--uts", "--userns",
    "--isolation", "--pids-limit", "--annotation", "-a", "--attach", "--blkio-weight",
    "--blkio-weight-device", "--device-cgroup-rule", "--device-read-bps",
    "--device-write-bps", "--device-read-iops", "--device-write-iops", "--group-add",
    "--oom-score-adj", "--storage-opt", "--sysctl", "--cgroupns", "--cgroup-parent",
    "--detach-keys", "--volume-driver", "--init-path", "--io-maxbandwidth", "--io-maxiops",
}  # fmt: skip
_VALUE_OPTIONS["deno"] = {
    "-c", "--config", "--import-map", "--location", "--seed", "--v8-flags", "--cert",
    "--lock", "-L", "--log-level", "--inspect", "--env-file", "--ext",
}  # fmt: skip
_PACKAGE_OPTIONS = {"npx": ("--package", "-p"), "uvx": ("--from",), "pipx": ("--spec",)}
_NPX_ALIASES = {"pnpm": "dlx", "yarn": "dlx", "npm": "exec", "bun": "x"}


class Launch(NamedTuple):
    """A package a runner launches, where its argument is, and the runner's own options."""

    runner: str
    package: str
    at: int
    pinned: bool
    options: tuple[tuple[int, str, str | None], ...] = ()  # (index, option, its value)


def package_launched(command: str, args: list[str]) -> tuple[str, str, int, bool] | None:
    """(runner, package, index of its argument, pinned) when a package runner launches it."""
    launch = launched(command, args)
    return None if launch is None else launch[:4]


def launched(command: str, args: list[str], offset: int = 0) -> Launch | None:
    """The package launched, also through `cmd /c`; indexes count from the first argument."""
    runner = PurePosixPath(command.replace("\\", "/")).name.lower()
    runner = re.sub(r"\.(cmd|exe|bat)$", "", runner)
    start = 0
    if runner == "cmd" and args[:1] and args[0].lower() in ("/c", "/k") and len(args) > 1:
        return launched(args[1], args[2:], offset + 2)
    if runner in ("uv", "uvx") and args[:2] == ["tool", "run"]:
        runner, start = "uvx", 2
    elif runner == "uv" and args[:1] == ["run"]:
        return _uv_run_with(args, offset)
    elif runner == "deno" and args[:1] == ["run"]:
        runner, start = "deno", 1
    elif runner in ("pipx", "docker", "podman") and args[:1] == ["run"]:
        runner, start = ("docker" if runner == "podman" else runner), 1
    elif runner in ("docker", "podman") and args[:2] == ["container", "run"]:
        runner, start = "docker", 2
    elif runner in _NPX_ALIASES and args[:1] == [_NPX_ALIASES[runner]]:
        runner, start = "npx", 1
    elif runner == "bunx":
        runner = "npx"
    elif runner not in ("npx", "uvx"):
        return None
    value_options = _VALUE_OPTIONS[runner]
    options: list[tuple[int, str, str | None]] = []
    index = start
    while index < len(args):
        arg = args[index]
        option, equals, value = arg.partition("=")
        if option in _PACKAGE_OPTIONS.get(runner, ()):
            package, at = (value, index) if equals else (_get(args, index + 1), index + 1)
            if package:
                return Launch(runner, package, at + offset, _pinned(runner, package))
        if not arg.startswith("-") and (runner != "deno" or arg.startswith(("npm:", "jsr:"))):
            pinned = _pinned(runner, arg)
            return Launch(runner, arg, index + offset, pinned, tuple(options))
        if runner == "deno" and not arg.startswith("-"):
            return None  # a local script or URL, not a package
        takes_value = arg in value_options and not equals
        shown_value = value if equals else (_get(args, index + 1) if takes_value else None)
        options.append((index + offset, option, shown_value))
        index += 2 if takes_value else 1
    return None


def _uv_run_with(args: list[str], offset: int) -> Launch | None:
    """`uv run --with pkg ...`: the first unpinned --with package, else the first one."""
    found: list[Launch] = []
    for index, arg in enumerate(args):
        option, equals, value = arg.partition("=")
        if option == "--with":
            package, at = (value, index) if equals else (_get(args, index + 1), index + 1)
            if package:
                found.append(Launch("uvx", package, at + offset, _pinned("uvx", package)))
    return next((f for f in found if not f.pinned), found[0] if found else None)


def _get(args: list[str], index: int) -> str | None:
    return args[index] if index < len(args) else None


def _split_version(runner: str, package: str) -> tuple[str, str | None]:
    if runner == "docker":
        if "@" in package:
            name, _, digest = package.partition("@")
            return name, "@" + digest
        head, colon, tag = package.rpartition(":")
        return (head, tag) if colon and "/" not in tag else (package, None)
    if runner == "deno":
        runner, package = "npx", package.partition(":")[2]
        if package.startswith("/"):
            package = package[1:]
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
    if runner == "docker":  # a tag can be moved to another image; a digest cannot
        return version.startswith("@sha256:")
    return bool(_SEMVER.match(version))
