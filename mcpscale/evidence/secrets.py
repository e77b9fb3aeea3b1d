"""Every redaction goes through here: secret-looking names, values, flags, URLs and arguments."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

REDACTED = "<redacted>"

_LOCAL_PATH = re.compile(r"^(/|~/|\./|\.\./|[A-Za-z]:\\)")
# Key names that hold credentials (env names, header names with '-' read as '_').
SECRET_NAME = re.compile(
    r"(^|_)(TOKEN|KEY|APIKEY|PAT|AUTH)$|SECRET|PASSWORD|PASSWD|AUTHORIZATION$|COOKIE$|CREDENTIALS?$"
    r"|(^|_)(API|ACCESS|PRIVATE)_?KEY",
    re.IGNORECASE,
)
# Values that are credentials whatever the key is called.
_TOKEN_VALUE = re.compile(
    r"gh[pousr]_[A-Za-z0-9_]{16,}|github_pat_[A-Za-z0-9_]{16,}|glpat-[A-Za-z0-9_-]{16,}"
    r"|sk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}|(?:sk|rk)_live_[A-Za-z0-9]{16,}"
    r"|xox[abposr]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35}"
    r"|hf_[A-Za-z0-9]{20,}|npm_[A-Za-z0-9]{20,}|pypi-[A-Za-z0-9_-]{20,}"
    r"|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"
)
# ${env:NAME}, ${input:id}, ${NAME}, $NAME: the value comes from elsewhere.
_REFERENCE = re.compile(r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*")
_AUTH_SCHEME = re.compile(r"^\s*(Bearer|Basic|Token|ApiKey)\b", re.IGNORECASE)


def is_reference(value: str) -> bool:
    """Only references (and an auth scheme word) remain: the secret is not in the file."""
    rest = _REFERENCE.sub("", value)
    return _REFERENCE.search(value) is not None and not _AUTH_SCHEME.sub("", rest).strip()


def is_literal_secret(name: str, value: str) -> bool:
    value = value.strip()
    if not value or is_reference(value):
        return False
    if _TOKEN_VALUE.search(_REFERENCE.sub("", value)):
        return True
    return bool(SECRET_NAME.search(name.replace("-", "_"))) and not _LOCAL_PATH.match(value)


def is_secret_flag(arg: str) -> bool:
    return (
        arg.startswith("-")
        and "=" not in arg
        and bool(SECRET_NAME.search(arg.lstrip("-").replace("-", "_")))
    )


def redact_arg(arg: str, secret_flag: str | None) -> tuple[str, str | None]:
    """The argument as shown, and what made it a secret (a flag or key name), or None."""
    if secret_flag is not None and is_literal_secret(secret_flag.lstrip("-"), arg):
        return REDACTED, f"value of {secret_flag}"
    name, equals, value = arg.partition("=")
    key = name.lstrip("-")
    if equals and SECRET_NAME.search(key.replace("-", "_")) and is_literal_secret(key, value):
        return f"{name}={REDACTED}", name
    if _TOKEN_VALUE.search(_REFERENCE.sub("", arg)):
        return redact_tokens(arg), "a token"
    return arg, None


def redact_tokens(text: str) -> str:
    return _TOKEN_VALUE.sub(REDACTED, text)


def redact_url(url: str) -> tuple[str, list[str]]:
    """The URL with credentials replaced, and where they were (userinfo, query parameters)."""
    parts = urlsplit(url)
    found: list[str] = []
    netloc = parts.netloc
    if parts.password is not None and not is_reference(parts.password):
        found.append("userinfo")
        netloc = f"{parts.username}:{REDACTED}@" + netloc.rpartition("@")[2]
    query = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if is_literal_secret(key, value):
            found.append(f"query parameter {key}")
            value = REDACTED
        query.append((key, value))
    shown = urlunsplit(
        (parts.scheme, netloc, parts.path, urlencode(query, safe="<>$:{}"), parts.fragment)
    )
    if _TOKEN_VALUE.search(shown):
        found.append("path")
    return redact_tokens(shown), found


def public_url(url: str) -> str:
    """The URL without user info, query or fragment, which may carry credentials."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def redact_args(args: Sequence[str]) -> list[str]:
    """A command line as it may be shown: every literal credential replaced by REDACTED.

    The value after a secret flag (`--api-key X`), a secret `KEY=value`, and any token-shaped
    text are hidden; references such as `${env:TOKEN}` and local paths stay readable."""
    shown: list[str] = []
    secret_flag: str | None = None
    for arg in args:
        shown.append(redact_arg(arg, secret_flag)[0])
        secret_flag = arg if is_secret_flag(arg) else None
    return shown
