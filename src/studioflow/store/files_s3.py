"""Files in an S3 bucket (AWS S3 or an S3-compatible store: MinIO, SeaweedFS, R2 ...).

Keys live under a prefix (``s3://bucket/prefix`` stores ``key`` as ``prefix/key``). One
PutObject is atomic: readers see the whole object or none, so no temporary files are needed.
Credentials come from boto3's own chain (``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY``,
``AWS_PROFILE``, ``~/.aws``, instance roles) and are never stored by StudioFlow. boto3 is
imported lazily: it is the ``s3`` extra.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

from studioflow.errors import (
    ConfigError,
    ErrorDetail,
    InputError,
    NotFoundError,
    StudioFlowError,
    missing_extra,
)
from studioflow.store.files_base import check_key

STORAGE_SETTING = "STUDIOFLOW_STORAGE_URL"
ENDPOINT_SETTING = "STUDIOFLOW_S3_ENDPOINT_URL"
REGION_SETTING = "STUDIOFLOW_S3_REGION"
CREDENTIALS_HINT = ("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE, "
                    "~/.aws/credentials, an instance role)")
MAX_PRESIGN_S = 7 * 24 * 3600  # SigV4's limit
_DENIED = {"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken",
           "InvalidToken", "TokenRefreshRequired", "AllAccessDisabled", "403"}
_NO_KEY = {"NoSuchKey", "NotFound", "404"}
_WRONG_REGION = {"AuthorizationHeaderMalformed", "PermanentRedirect",
                 "IllegalLocationConstraintException"}


def parse_s3_url(url: str) -> tuple[str, str]:
    """``s3://bucket/some/prefix`` -> ("bucket", "some/prefix/"); the prefix may be empty."""
    parsed = urlparse(url)
    if parsed.scheme != "s3" or not parsed.hostname:
        raise ConfigError(f"invalid S3 storage URL {url!r}",
                          [ErrorDetail(STORAGE_SETTING, "expected s3://bucket/prefix")])
    if parsed.username or parsed.password or parsed.port:
        raise ConfigError("the S3 storage URL must not contain credentials or a port",
                          [ErrorDetail(STORAGE_SETTING, "put credentials in AWS_* variables "
                                       f"and the endpoint in {ENDPOINT_SETTING}")])
    return parsed.hostname, normal_prefix(parsed.path)


def normal_prefix(prefix: str) -> str:
    """"a/b" or "/a/b/" -> "a/b/"; "" stays "" (the bucket's root)."""
    prefix = prefix.strip("/")
    if not prefix:
        return ""
    try:
        check_key(prefix)
    except InputError:
        raise ConfigError(f"invalid key prefix {prefix!r} in the S3 storage URL",
                          [ErrorDetail(STORAGE_SETTING, "plain path segments only")]) from None
    return prefix + "/"


def _make_client(endpoint_url: str | None, region: str | None, max_attempts: int | None) -> Any:
    try:
        import boto3
        from botocore.config import Config
    except ImportError:
        raise missing_extra("s3", "boto3") from None
    session = boto3.session.Session()
    if endpoint_url and not (region or session.region_name):
        region = "us-east-1"  # S3-compatible stores sign with it unless told otherwise
    retries: dict[str, Any] = {"mode": "standard"}
    if max_attempts is not None:  # else AWS_MAX_ATTEMPTS, or boto3's default of 3
        retries["total_max_attempts"] = max_attempts
    config = Config(signature_version="s3v4", retries=retries, connect_timeout=5,
                    read_timeout=60,
                    # self-hosted stores rarely have per-bucket DNS names
                    s3={"addressing_style": "path" if endpoint_url else "auto"})
    return session.client("s3", endpoint_url=endpoint_url or None, region_name=region or None,
                          config=config)


class S3FileStore:
    def __init__(self, bucket: str, prefix: str = "", *, endpoint_url: str | None = None,
                 region: str | None = None, public_base_url: str | None = None,
                 presign_expires_s: int = 3600, max_attempts: int | None = None,
                 check_bucket: bool = True) -> None:
        self.bucket, self.prefix = bucket, normal_prefix(prefix)
        self.endpoint_url = endpoint_url
        self.public_base_url = public_base_url.rstrip("/") + "/" if public_base_url else None
        if not 1 <= presign_expires_s <= MAX_PRESIGN_S:
            raise ConfigError(f"presigned URLs last 1 to {MAX_PRESIGN_S} seconds",
                              [ErrorDetail("STUDIOFLOW_PRESIGN_EXPIRES_S",
                                           f"{presign_expires_s} is out of range")])
        self.presign_expires_s = presign_expires_s
        self._client = _make_client(endpoint_url, region, max_attempts)
        if check_bucket:
            self.check_bucket()

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> S3FileStore:
        bucket, prefix = parse_s3_url(url)
        return cls(bucket, prefix, **kwargs)

    def _key(self, key: str) -> str:
        return self.prefix + check_key(key)

    @property
    def _where(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"

    def check_bucket(self) -> None:
        """Fail early, with the setting to fix, when the bucket cannot be used."""
        with self._errors(None):
            self._client.head_bucket(Bucket=self.bucket)

    # the FileStore protocol --------------------------------------------------------------
    def put(self, key: str, data: bytes, content_type: str = "image/png") -> None:
        full = self._key(key)
        with self._errors(key):
            self._client.put_object(Bucket=self.bucket, Key=full, Body=data,
                                    ContentType=content_type)

    def get(self, key: str) -> bytes:
        full = self._key(key)
        with self._errors(key):
            response = self._client.get_object(Bucket=self.bucket, Key=full)
            return response["Body"].read()

    def exists(self, key: str) -> bool:
        full = self._key(key)
        try:
            with self._errors(key):
                self._client.head_object(Bucket=self.bucket, Key=full)
        except NotFoundError:
            return False
        return True

    def delete(self, key: str) -> None:
        full = self._key(key)
        with self._errors(key):  # deleting a missing object succeeds in S3
            self._client.delete_object(Bucket=self.bucket, Key=full)

    def local_path(self, key: str) -> Path | None:
        check_key(key)
        return None

    def url(self, key: str, expires: int | None = None) -> str:
        """A CDN URL when ``public_base_url`` is set, else a presigned GET URL valid for
        ``expires`` seconds (default: the store's ``presign_expires_s``)."""
        full = self._key(key)
        if self.public_base_url:  # it serves the store's root, s3://bucket/prefix/
            return self.public_base_url + quote(key)
        expires = self.presign_expires_s if expires is None else expires
        if not 1 <= expires <= MAX_PRESIGN_S:
            raise InputError(f"presigned URLs last 1 to {MAX_PRESIGN_S} seconds, not {expires}",
                             [ErrorDetail("expires", f"expected 1-{MAX_PRESIGN_S}")])
        with self._errors(key):
            return self._client.generate_presigned_url(
                "get_object", Params={"Bucket": self.bucket, "Key": full}, ExpiresIn=expires)

    # errors ------------------------------------------------------------------------------
    @contextmanager
    def _errors(self, key: str | None) -> Iterator[None]:
        """boto3's exceptions as StudioFlow errors that name the setting to fix."""
        from botocore.exceptions import (
            ClientError,
            ConnectionError,
            HTTPClientError,
            NoCredentialsError,
            PartialCredentialsError,
        )

        try:
            yield
        except (NoCredentialsError, PartialCredentialsError) as exc:
            raise ConfigError(f"no usable S3 credentials for {self._where}: {exc}",
                              [ErrorDetail("AWS_ACCESS_KEY_ID", CREDENTIALS_HINT)]) from None
        except (ConnectionError, HTTPClientError) as exc:
            where = self.endpoint_url or "AWS S3"
            raise ConfigError(f"S3 endpoint {where} is unreachable: {exc}",
                              [ErrorDetail(ENDPOINT_SETTING, "check the endpoint URL (empty "
                                           "for AWS S3) and the network")]) from None
        except ClientError as exc:
            raise self._client_error(exc, key) from None

    def _client_error(self, exc: Any, key: str | None) -> StudioFlowError:
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if code == "NoSuchBucket" or (key is None and status == 404):
            return ConfigError(f"S3 bucket {self.bucket!r} does not exist; create it first "
                               f"(e.g. aws s3 mb s3://{self.bucket})",
                               [ErrorDetail(STORAGE_SETTING, f"bucket {self.bucket!r} not found")])
        if key is not None and (code in _NO_KEY or status == 404):
            return NotFoundError(f"file {key!r} is missing from the store",
                                 [ErrorDetail("key", key)])
        if code in _WRONG_REGION or status == 301:
            return ConfigError(f"S3 bucket {self.bucket!r} is in another region ({code})",
                               [ErrorDetail(REGION_SETTING, "set it to the bucket's region")])
        if code in _DENIED or status == 403:
            return ConfigError(f"access to {self._where} denied ({code or status})",
                               [ErrorDetail("AWS_ACCESS_KEY_ID", "check the key and secret "
                                            "(AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or "
                                            "AWS_PROFILE); they need s3:GetObject, s3:PutObject,"
                                            " s3:DeleteObject and s3:ListBucket on the bucket")])
        if code == "InvalidBucketName":
            return ConfigError(f"invalid S3 bucket name {self.bucket!r}",
                               [ErrorDetail(STORAGE_SETTING, "expected s3://bucket/prefix")])
        return StudioFlowError(f"S3 request for {self._where}{key or ''} failed: "
                               f"{code or status} {error.get('Message', '')}".rstrip(),
                               [ErrorDetail(STORAGE_SETTING, self._where)],
                               code="storage_error", http_status=502)
