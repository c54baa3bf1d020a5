"""Safety of what a batch reads and writes.

- Spreadsheet formulas: a cell starting with ``= + - @`` (or a tab or carriage return) is
  run as a formula by Excel and LibreOffice; every CSV we write prefixes such cells with a
  single quote (OWASP "CSV injection").
- File names from SKUs: no separators, ``..``, control characters or reserved Windows
  names, unicode NFKC-normalised, length-limited, and unique ignoring case.
- ZIP entries: relative, no ``..``, no backslashes.
- Local files named in a CSV (reference images, manifest files) must resolve, symlinks
  followed, inside an allowed folder.
- Image URLs (off unless ``batch_allow_urls``): http(s) only, no credentials, every DNS
  address public; the connection goes to the vetted address, and each redirect is checked
  the same way (SSRF).
- Images: a size limit before reading (here) and a pixel limit before decoding
  (``studioflow.export.safe_image``, shared with every other upload).
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from studioflow.errors import ErrorDetail, InputError

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_NAME_BYTES = 120  # leaves room for suffixes and ".png" under every filesystem's 255
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\s]+')
_WINDOWS_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                               *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))})
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# not globally reachable (IANA special-purpose registries), whatever this Python's
# ipaddress tables say: they gained entries over patch releases
_ALSO_REFUSED = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15",
    "198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4", "2001::/23", "2001:db8::/32",
    "64:ff9b:1::/48", "100::/64"))
MAX_REDIRECTS = 3

Resolver = Callable[[str, int], list[str]]


# spreadsheets ----------------------------------------------------------------------------
def neutralise_cell(value: object) -> object:
    """The value to write into a CSV cell: text that a spreadsheet would run as a formula
    gets a leading single quote; everything else is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_row(values: Iterable[object]) -> list[object]:
    return [neutralise_cell(v) for v in values]


# file names ------------------------------------------------------------------------------
def safe_filename(text: str, fallback: str = "item", max_bytes: int = MAX_NAME_BYTES) -> str:
    """A file name stem made from untrusted text (a SKU): one path segment, portable."""
    name = unicodedata.normalize("NFKC", text)
    # control, format, private-use and unassigned characters, lone surrogates
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE_NAME.sub("_", name)
    name = re.sub(r"\.{2,}", ".", name)
    # hidden files, trailing dots (dropped by Windows) and option-like or formula-like names
    name = name.strip("._ ").lstrip("-=+@")
    encoded = name.encode("utf-8")
    if len(encoded) > max_bytes:
        name = encoded[:max_bytes].decode("utf-8", "ignore").rstrip("._ ")
    if name.split(".")[0].upper() in _WINDOWS_RESERVED:
        name = "_" + name
    return name or fallback


class UniqueNames:
    """Hands out names that differ ignoring case: "ABC", "abc" -> "ABC", "abc_2"."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def claim(self, stem: str, suffix: str = "") -> str:
        candidate, n = stem, 1
        while (candidate + suffix).casefold() in self._taken:
            n += 1
            candidate = f"{stem}_{n}"
        self._taken.add((candidate + suffix).casefold())
        return candidate + suffix


def check_zip_entry(name: str) -> str:
    """A ZIP entry name that unpacks inside the target folder on every system."""
    parts = name.split("/")
    bad = (not name or name.startswith("/") or "\\" in name or ":" in parts[0]
           or any(p in ("", ".", "..") for p in parts)
           or any(unicodedata.category(ch)[0] == "C" for ch in name))
    if bad:
        raise ValueError(f"unsafe ZIP entry name {name!r}")
    return name


# local files -----------------------------------------------------------------------------
def resolve_inside(base: Path, value: str, what: str) -> Path:
    """The file ``value`` names (relative to ``base`` or absolute), which must exist and
    lie inside ``base`` once every symlink is followed."""
    try:
        root = Path(base).expanduser().resolve(strict=True)
        target = (root / Path(value).expanduser()).resolve(strict=True)
    except FileNotFoundError:
        raise InputError(f"{what} {value!r} does not exist",
                         [ErrorDetail(what, "not found")]) from None
    except (OSError, RuntimeError) as exc:  # loops, permissions, names too long
        raise InputError(f"{what} {value!r} cannot be read: {exc}",
                         [ErrorDetail(what, "unreadable path")]) from None
    if not target.is_relative_to(root):
        raise InputError(f"{what} {value!r} is outside the allowed folder",
                         [ErrorDetail(what, f"files must be inside {root}")])
    if not target.is_file():
        raise InputError(f"{what} {value!r} is not a file", [ErrorDetail(what, "not a file")])
    return target


def read_limited(path: Path, max_bytes: int, what: str) -> bytes:
    if path.stat().st_size > max_bytes:
        raise InputError(f"{what} is larger than {max_bytes} bytes",
                         [ErrorDetail(what, "file too large")])
    with path.open("rb") as fh:
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:  # grew since stat
        raise InputError(f"{what} is larger than {max_bytes} bytes",
                         [ErrorDetail(what, "file too large")])
    return data


# addresses and URLs (SSRF) ---------------------------------------------------------------
def is_public_address(value: str | ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True only for globally routable unicast addresses. IPv4 addresses embedded in IPv6
    (mapped ::ffff:a.b.c.d, 6to4, NAT64) are judged as the IPv4 address they reach."""
    try:
        addr = ipaddress.ip_address(value)
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.scope_id:
            return False
        embedded = addr.ipv4_mapped or addr.sixtofour
        if embedded is None and addr in _NAT64:
            embedded = ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public_address(embedded)
        if addr.teredo is not None or addr.is_site_local:
            return False
    if any(addr.version == net.version and addr in net for net in _ALSO_REFUSED):
        return False
    return not (addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_multicast
                or addr.is_reserved or addr.is_unspecified) and addr.is_global


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


def vet_url(url: str, resolve: Resolver = system_resolver,
            allowed: Callable[[str], bool] = is_public_address) -> tuple[str, str, int, str]:
    """``(scheme, host, port, address)`` of a URL whose every address is allowed; the
    caller connects to ``address`` so that DNS cannot answer differently the second time."""
    what = "reference_image"
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise InputError(f"invalid URL {url!r}: {exc}", [ErrorDetail(what, "invalid URL")]) \
            from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"invalid image URL {url!r}",
                         [ErrorDetail(what, "expected an http:// or https:// URL")])
    if parts.username is not None or parts.password is not None:
        raise InputError("image URLs must not carry credentials",
                         [ErrorDetail(what, "remove user:password@ from the URL")])
    host = parts.hostname
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            addresses = resolve(host, port)
        except OSError as exc:
            raise InputError(f"cannot resolve {host!r}: {exc}",
                             [ErrorDetail(what, "unknown host")]) from None
    if not addresses:
        raise InputError(f"cannot resolve {host!r}", [ErrorDetail(what, "unknown host")])
    refused = [a for a in addresses if not allowed(a)]
    if refused:
        raise InputError(f"image URL host {host!r} is not a public address",
                         [ErrorDetail(what, f"{refused[0]} is private, local or reserved")])
    return parts.scheme, host, port, addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


def fetch_url(url: str, max_bytes: int, timeout: float = 15.0,
              resolve: Resolver = system_resolver,
              allowed: Callable[[str], bool] = is_public_address) -> bytes:
    """GET an image URL with the SSRF checks above; every redirect is vetted again."""
    what = "reference_image"
    for _ in range(MAX_REDIRECTS + 1):
        scheme, host, port, address = vet_url(url, resolve, allowed)
        cls = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
        conn = cls(host, port, address, timeout)
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            conn.request("GET", path, headers={"User-Agent": "studioflow-batch",
                                               "Accept": "image/*"})
            response = conn.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                if not location:
                    raise InputError("redirect without a Location", [ErrorDetail(what, url)])
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise InputError(f"image URL answered HTTP {response.status}",
                                 [ErrorDetail(what, url)])
            declared = response.getheader("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise InputError(f"image at {url} is larger than {max_bytes} bytes",
                                 [ErrorDetail(what, "file too large")])
            data = response.read(max_bytes + 1)
        except OSError as exc:
            raise InputError(f"cannot fetch {url}: {exc}", [ErrorDetail(what, "unreachable")]) \
                from None
        finally:
            conn.close()
        if len(data) > max_bytes:
            raise InputError(f"image at {url} is larger than {max_bytes} bytes",
                             [ErrorDetail(what, "file too large")])
        return data
    raise InputError(f"too many redirects from {url}",
                     [ErrorDetail(what, f"at most {MAX_REDIRECTS} redirects")])
