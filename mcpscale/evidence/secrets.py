"""Every redaction goes through here: secret-looking names, values, flags, URLs and arguments."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePosixPath
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

REDACTED = "<redacted>"

_LOCAL_PATH = re.compile(r"^(/|~/|\./|\.\./|[A-Za-z]:\\)")
# Key names that hold credentials (env names, header names and flags with '-' read as '_',
# URL query parameters).
SECRET_NAME = re.compile(
    r"(^|_)(TOKEN|KEY|APIKEY|PAT|AUTH|PASS|SIG|SIGNATURE|DSN)$|_PWD$|SECRET|PASSWORD|PASSWD"
    r"|AUTHORIZATION$|COOKIE$|CREDENTIALS?$|(^|_)(API|ACCESS|PRIVATE)_?KEY"
    r"|CONNECTION_?STRING|(^|_)(DATABASE|DB)_URL$",
    re.IGNORECASE,
)
# Names that hold a whole connection string: secret only when it carries a password.
_CONNECTION_NAME = re.compile(r"(^|_)(DSN|(DATABASE|DB)_URL)$|CONNECTION_?STRING", re.IGNORECASE)
# Values that are credentials whatever the key is called.
_TOKEN_VALUE = re.compile(
    r"gh[pousr]_[A-Za-z0-9_]{16,}|github_pat_[A-Za-z0-9_]{16,}|glpat-[A-Za-z0-9_-]{16,}"
    r"|sk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}|(?:sk|rk)_live_[A-Za-z0-9]{16,}"
    r"|xox[abposr]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35}"
    r"|hf_[A-Za-z0-9]{20,}|npm_[A-Za-z0-9]{20,}|pypi-[A-Za-z0-9_-]{20,}"
    r"|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"
)
# A password inside a connection string: scheme://user:PASSWORD@host, or ...;Password=X;...
_URL_PASSWORD = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^\s/@:]*:)(?P<secret>[^\s/]+)@")
_KEYWORD_PASSWORD = re.compile(
    r"(?P<head>(?:^|[;\s])\s*(?:password|pwd)\s*=\s*)(?P<secret>[^;]+)", re.I
)
# ${env:NAME}, ${input:id}, ${NAME}, $NAME: the value comes from elsewhere. ${NAME:-default}
# (also :=, - and =) carries a literal default, which is read as a value of its own.
# ${env:NAME}, ${NAME}, $NAME, and OpenCode's {env:NAME}: the value lives elsewhere.
_REFERENCE = re.compile(r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\{env:[A-Za-z_][A-Za-z0-9_]*\}")
_DEFAULT = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*):?[-=](?P<secret>[^}]*)\}")
_AUTH_SCHEME = re.compile(r"^\s*(Bearer|Basic|Token|ApiKey)\b", re.IGNORECASE)
# 'Name: value' or 'Name:value' as one argument (mcp-remote --header, curl -H ...).
_HEADER = re.compile(r"^(?P<head>\s*(?P<name>[A-Za-z][A-Za-z0-9_-]*)\s*:)(?P<secret>.*\S.*)$", re.S)
_URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s\"'<>]+")
# Flags whose next argument is a credential although the name does not say so.
_OPTION_NAME = re.compile(r"^-{0,2}[A-Za-z_][A-Za-z0-9_.-]*$")  # --name=, NAME=
_SECRET_SHORT_FLAGS = frozenset({"-k"})
# Database clients' password flags (psql's -p is the port: it reads PGPASSWORD instead).
_DATABASE_PASSWORD_FLAG = {"mysql": "-p", "mariadb": "-p", "mongosh": "-p", "mongo": "-p",
                           "redis-cli": "-a"}  # fmt: skip


def _literal_part(value: str) -> str:
    """What is written in the file itself: references removed, their defaults kept."""
    return _REFERENCE.sub(lambda m: _default_of(m.group(0)), value)


def _default_of(reference: str) -> str:
    match = _DEFAULT.fullmatch(reference)
    return match.group("secret") if match else ""


def is_reference(value: str) -> bool:
    """Only references (and an auth scheme word) remain: the secret is not in the file."""
    rest = _literal_part(value)
    return _REFERENCE.search(value) is not None and not _AUTH_SCHEME.sub("", rest).strip()


def _holds_password(value: str) -> bool:
    return any(
        not is_reference(m.group("secret"))
        for pattern in (_URL_PASSWORD, _KEYWORD_PASSWORD)
        for m in pattern.finditer(value)
    )


def _secret_default(value: str) -> bool:
    """A `${NAME:-literal}` whose name says it holds a secret."""
    return any(
        SECRET_NAME.search(m.group("name")) and _is_literal(m.group("secret"))
        for m in _DEFAULT.finditer(value)
    )


def _is_literal(value: str) -> bool:
    value = value.strip()
    return bool(value) and not is_reference(value) and not _LOCAL_PATH.match(value)


def is_literal_secret(name: str, value: str) -> bool:
    value = value.strip()
    if not value or is_reference(value):
        return _secret_default(value)
    literal = _literal_part(value)
    if _TOKEN_VALUE.search(literal) or _holds_password(value) or _secret_default(value):
        return True
    key = name.replace("-", "_")
    if _CONNECTION_NAME.search(key) and "://" in value:
        return False  # a connection URL without a password
    return bool(SECRET_NAME.search(key)) and not _LOCAL_PATH.match(value)


def is_secret_flag(arg: str, database_client: str | None = None) -> bool:
    """A flag whose next argument is a credential: --api-key, --token, -k, mysql's -p ..."""
    if database_client is not None and arg == _DATABASE_PASSWORD_FLAG[database_client]:
        return True
    return arg in _SECRET_SHORT_FLAGS or (
        arg.startswith("--")
        and "=" not in arg
        and bool(SECRET_NAME.search(arg.lstrip("-").replace("-", "_")))
    )


def redact_text(text: str) -> tuple[str, str | None]:
    """Text (an argument, a command, a package) as shown, and what made it secret, or None.

    Hides connection-string passwords, credential headers (`Authorization: Bearer X`),
    literal defaults of secret-named `${NAME:-X}`, credential query parameters of URLs
    and token-shaped values; references and local paths stay readable."""
    reason: str | None = None
    header = _HEADER.match(text)
    if (
        header
        and not header.group("secret").startswith("//")
        and SECRET_NAME.search(header.group("name").replace("-", "_"))
        and _is_literal(_AUTH_SCHEME.sub("", header.group("secret")))
    ):
        return f"{header.group('head')} {REDACTED}", f"header {header.group('name')}"
    shown = text
    for url in _URL_IN_TEXT.findall(shown):
        if "?" in url:
            shown_url, found = redact_url(url)
            if found:
                shown, reason = shown.replace(url, shown_url), reason or f"url {found[0]}"
    for pattern, what in (
        (_URL_PASSWORD, "a connection-string password"),
        (_KEYWORD_PASSWORD, "a connection-string password"),
    ):
        replaced = pattern.sub(
            lambda m: (
                m.group(0)
                if is_reference(m.group("secret"))
                else m.group(0).replace(m.group("secret"), REDACTED, 1)
            ),
            shown,
        )
        if replaced != shown:
            shown, reason = replaced, reason or what
    replaced = _DEFAULT.sub(
        lambda m: (
            f"${{{m.group('name')}:-{REDACTED}}}"
            if SECRET_NAME.search(m.group("name")) and _is_literal(m.group("secret"))
            else m.group(0)
        ),
        shown,
    )
    if replaced != shown:
        shown, reason = replaced, reason or "a literal default"
    if _TOKEN_VALUE.search(_literal_part(shown)) or _TOKEN_VALUE.search(shown):
        shown, reason = redact_tokens(shown), reason or "a token"
    return shown, reason


def scan_args(command: str, args: Sequence[str]) -> list[tuple[str, str | None]]:
    """Each argument as it may be shown, and what made it a secret (a flag or key), or None.

    The value after a secret flag (`--api-key X`, `-k X`, mysql's `-p X`), `--flag=X` and
    `KEY=X` under a secret name, and everything `redact_text` hides are replaced by REDACTED."""
    shown: list[tuple[str, str | None]] = []
    secret_flag: str | None = None
    client = _database_client(command)
    for arg in args:
        shown.append(_scan_arg(arg, secret_flag, client))
        client = client or _database_client(arg)
        secret_flag = arg if is_secret_flag(arg, client) else None
    return shown


def _database_client(word: str) -> str | None:
    name = PurePosixPath(word.replace("\\", "/")).name.lower()
    name = re.sub(r"\.(exe|cmd)$", "", name)
    return name if name in _DATABASE_PASSWORD_FLAG else None


def _scan_arg(arg: str, secret_flag: str | None, client: str | None) -> tuple[str, str | None]:
    if secret_flag is not None and _is_literal(arg) and not arg.startswith("-"):
        return REDACTED, f"value of {secret_flag}"
    name, equals, value = arg.partition("=")
    key = name.lstrip("-")
    secret_name = _OPTION_NAME.match(name) and SECRET_NAME.search(key.replace("-", "_"))
    short = name in _SECRET_SHORT_FLAGS
    if equals and (short or secret_name) and is_literal_secret("password" if short else key, value):
        return f"{name}={REDACTED}", name
    if client in ("mysql", "mariadb") and re.match(r"^-p[^-\s]", arg):
        return f"-p{REDACTED}", "value of -p"
    shown, reason = redact_text(arg)
    if reason is None and " " in arg.strip():
        # a whole command line in one argument (sh -c "...", cmd /c "...")
        words = scan_args("", arg.split(" "))
        if any(why for _, why in words):
            return " ".join(word for word, _ in words), next(why for _, why in words if why)
    return shown, reason


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


# Query parameters that carry a credential only there: OAuth's authorization `code`.
_QUERY_SECRET_NAME = re.compile(r"^(code|client_secret)$", re.IGNORECASE)


def strip_credentials(url: str) -> tuple[str, list[str]]:
    """The URL to request without credentials: no user info, and no query parameter whose
    name holds a credential (api_key, token, sig, code, ...) or whose value looks like a
    token; and the names of the parameters left off (never their values)."""
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]
    kept: list[tuple[str, str]] = []
    removed: list[str] = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if (
            SECRET_NAME.search(key.replace("-", "_"))
            or _QUERY_SECRET_NAME.match(key)
            or _TOKEN_VALUE.search(value)
        ):
            if key not in removed:
                removed.append(key)
        else:
            kept.append((key, value))
    return urlunsplit((parts.scheme, netloc, parts.path, urlencode(kept), "")), removed


def public_url(url: str) -> str:
    """The URL without user info, query or fragment, which may carry credentials."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def redact_args(args: Sequence[str], command: str = "") -> list[str]:
    """A command line as it may be shown: every literal credential replaced by REDACTED."""
    return [shown for shown, _ in scan_args(command, args)]
