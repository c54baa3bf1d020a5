"""What a batch must never do: run spreadsheet formulas, write outside its folder, read
files outside the allowed folder, fetch private addresses, or decode image bombs."""

from __future__ import annotations

import http.server
import threading

import pytest

from studioflow.batch.safety import (
    UniqueNames,
    check_zip_entry,
    fetch_url,
    is_public_address,
    neutralise_cell,
    resolve_inside,
    safe_filename,
    vet_url,
)
from studioflow.errors import InputError

# formula injection ---------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=x", "\r=x",
                                  "=cmd|' /C calc'!A0"])
def test_formula_cells_get_a_leading_quote(cell):
    assert neutralise_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["BAG-1", "red = nice", "", " =1", 42, None, 1.5])
def test_other_cells_are_unchanged(cell):
    assert neutralise_cell(cell) == cell


# file names ----------------------------------------------------------------------------------


@pytest.mark.parametrize("sku, expected", [
    ("../../x", "x"),
    ("..\\..\\windows\\win.ini", "windows_win.ini"),
    ("/etc/passwd", "etc_passwd"),
    ("CON", "_CON"),
    ("con.txt", "_con.txt"),
    ("LPT9", "_LPT9"),
    ("COM¹", "_COM1"),  # NFKC turns the superscript into a digit Windows also reserves
    ("=cmd|' /C calc'!A0", "cmd_'_C_calc'!A0"),
    ("a\x00b\x1fc\u200bd", "abcd"),  # control and zero-width format characters
    ("ＡＢＣ－１", "ABC-1"),  # full-width forms are normalised
    ("...", "item"),
    ("  trailing dots... ", "trailing_dots"),
    ("-rf", "rf"),
])
def test_safe_filenames(sku, expected):
    assert safe_filename(sku) == expected


def test_filenames_are_length_limited_on_utf8_bytes():
    name = safe_filename("é" * 300)
    assert len(name.encode("utf-8")) <= 120 and set(name) == {"é"}


def test_unique_names_ignore_case():
    names = UniqueNames()
    got = [names.claim(s, ".png") for s in ("ABC", "abc", "Abc", "abc_2", "x")]
    assert got == ["ABC.png", "abc_2.png", "Abc_3.png", "abc_2_2.png", "x.png"]
    assert len({g.casefold() for g in got}) == len(got)


@pytest.mark.parametrize("name", ["/abs.png", "../x.png", "a/../b.png", "a\\b.png",
                                  "C:/x.png", "a//b.png", "", "a/./b", "x\x00.png"])
def test_unsafe_zip_entries_are_refused(name):
    with pytest.raises(ValueError):
        check_zip_entry(name)


def test_safe_zip_entries_pass():
    assert check_zip_entry("images/BAG-1.png") == "images/BAG-1.png"


# local files ---------------------------------------------------------------------------------


def test_files_must_resolve_inside_the_allowed_folder(tmp_path):
    allowed = tmp_path / "refs"
    (allowed / "sub").mkdir(parents=True)
    (allowed / "sub" / "ok.png").write_bytes(b"x")
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"s")
    (allowed / "escape.png").symlink_to(secret)
    (allowed / "dir-escape").symlink_to(tmp_path)
    assert resolve_inside(allowed, "sub/ok.png", "reference_image") == \
        (allowed / "sub" / "ok.png").resolve()
    assert resolve_inside(allowed, str(allowed / "sub" / "ok.png"), "reference_image")
    for value in ("escape.png", "../secret.png", str(secret), "dir-escape/secret.png",
                  "sub/../../secret.png"):
        with pytest.raises(InputError, match="outside the allowed folder"):
            resolve_inside(allowed, value, "reference_image")
    with pytest.raises(InputError, match="does not exist"):
        resolve_inside(allowed, "missing.png", "reference_image")
    with pytest.raises(InputError, match="not a file"):
        resolve_inside(allowed, "sub", "reference_image")


# SSRF ----------------------------------------------------------------------------------------

PRIVATE = [
    "127.0.0.1", "127.255.255.254", "10.0.0.1", "10.255.255.255", "172.16.0.1",
    "172.31.255.255", "192.168.1.1", "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # carrier-grade NAT
    "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1",
    "192.0.0.8", "192.0.2.1", "198.18.0.1", "198.51.100.7", "203.0.113.9",
    "::1", "::", "fe80::1", "fe80::1%eth0", "fc00::1", "fd12:3456::1", "ff02::1", "fec0::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",  # IPv4-mapped
    "::127.0.0.1",  # IPv4-compatible (deprecated)
    "64:ff9b::7f00:1", "64:ff9b::a00:1",  # NAT64 of 127.0.0.1 and 10.0.0.1
    "2002:7f00:1::1", "2002:a00:1::",  # 6to4 of 127.0.0.1 and 10.0.0.1
    "2001:0::1",  # Teredo
    "2001:db8::1",  # documentation
    "not an address", "",
]
PUBLIC = ["8.8.8.8", "1.1.1.1", "93.184.216.34", "151.101.1.69", "2606:4700:4700::1111",
          "2a00:1450:4007:80e::200e", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"]


@pytest.mark.parametrize("address", PRIVATE)
def test_private_local_and_reserved_addresses_are_refused(address):
    assert is_public_address(address) is False


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed(address):
    assert is_public_address(address) is True


def fake_dns(table):
    def resolve(host, _port):
        if host not in table:
            raise OSError("no such host")
        return table[host]
    return resolve


def test_every_resolved_address_must_be_public():
    dns = fake_dns({"cdn.example": ["93.184.216.34"],
                    "split.example": ["93.184.216.34", "10.0.0.5"],
                    "rebind.example": ["127.0.0.1"], "v6.example": ["::ffff:192.168.0.1"]})
    assert vet_url("https://cdn.example/a.png", dns) == ("https", "cdn.example", 443,
                                                         "93.184.216.34")
    for url in ("https://split.example/a.png", "http://rebind.example/a.png",
                "http://v6.example/a.png", "http://127.0.0.1/x", "http://[::1]:8080/x",
                "http://[::ffff:7f00:1]/x", "http://169.254.169.254/latest/meta-data"):
        with pytest.raises(InputError, match="not a public address"):
            vet_url(url, dns)


@pytest.mark.parametrize("url, words", [
    ("ftp://cdn.example/a.png", "invalid image URL"), ("file:///etc/passwd", "invalid image URL"),
    ("https://user:pw@cdn.example/a.png", "credentials"), ("http:///nohost", "invalid"),
    ("http://unknown.example/a.png", "cannot resolve"), ("http://cdn.example:99999/", "invalid"),
])
def test_bad_urls(url, words):
    with pytest.raises(InputError, match=words):
        vet_url(url, fake_dns({"cdn.example": ["93.184.216.34"]}))


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        if self.path == "/image.png":
            body = b"\x89PNG fake"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path.startswith("/to/"):
            self.send_response(302)
            self.send_header("Location", self.path[len("/to"):].replace("/HOST/", "http://", 1))
            self.end_headers()
        elif self.path == "/big":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"x" * 5000)
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()


def test_fetch_connects_to_the_vetted_address_and_rechecks_redirects(server):
    """A local server stands in for the internet: 'good.test' resolves to it and counts as
    public here; a redirect to 'evil.test' (a private address) must be refused."""
    port = server
    dns = fake_dns({"good.test": ["127.0.0.1"], "evil.test": ["10.0.0.7"]})
    allowed = {"127.0.0.1"}.__contains__
    assert fetch_url(f"http://good.test:{port}/image.png", 1000, resolve=dns,
                     allowed=allowed) == b"\x89PNG fake"
    # a redirect to another allowed URL is followed
    assert fetch_url(f"http://good.test:{port}/to/HOST/good.test:{port}/image.png", 1000,
                     resolve=dns, allowed=allowed) == b"\x89PNG fake"
    with pytest.raises(InputError, match="not a public address"):
        fetch_url(f"http://good.test:{port}/to/HOST/evil.test:{port}/image.png", 1000,
                  resolve=dns, allowed=allowed)
    with pytest.raises(InputError, match="larger than"):
        fetch_url(f"http://good.test:{port}/big", 1000, resolve=dns, allowed=allowed)
    with pytest.raises(InputError, match="HTTP 404"):
        fetch_url(f"http://good.test:{port}/missing", 1000, resolve=dns, allowed=allowed)
    # with the real rule, the loopback server itself is refused before any connection
    with pytest.raises(InputError, match="not a public address"):
        fetch_url(f"http://127.0.0.1:{port}/image.png", 1000)


def test_redirect_loops_stop(server):
    port = server
    dns = fake_dns({"good.test": ["127.0.0.1"]})
    loop = f"http://good.test:{port}/to/HOST/good.test:{port}/to/HOST/good.test:{port}" \
           f"/to/HOST/good.test:{port}/to/HOST/good.test:{port}/image.png"
    with pytest.raises(InputError, match="too many redirects"):
        fetch_url(loop, 1000, resolve=dns, allowed={"127.0.0.1"}.__contains__)
