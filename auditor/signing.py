"""Detached Ed25519 signatures of a run's manifest (``OUT/manifest.json.sig``), with the ``cryptography`` package.

The run manifest hashes every site manifest and every run-wide file, and each site manifest hashes every file of
its site, so one signature of the run manifest covers the whole run folder. Anyone with write access can rewrite
files *and* every manifest consistently; only the signature, made with a private key they do not have, tells that
apart from the run as it was written.

- ``auditor keygen`` writes a key pair: the private key as unencrypted PKCS#8 PEM with file mode 0600, the public
  key as SubjectPublicKeyInfo PEM. Keep the private key in the CI's secret store.
- ``auditor audit … --sign-key KEY`` (and ``auditor report`` / ``auditor check`` with ``--sign-key``) signs the
  manifest's exact bytes; the signature file holds it in base64 on one line.
- ``auditor verify RUN_DIR --public-key PUB`` checks it.
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

from auditor.errors import UserError
from auditor.manifest import SIGNATURE_SUFFIX

PRIVATE_KEY_NAME = "auditor-signing.key"
PUBLIC_KEY_NAME = "auditor-signing.pub"


def signature_path(manifest: Path) -> Path:
    return manifest.with_name(manifest.name + SIGNATURE_SUFFIX)


def generate_key_pair(folder: Path) -> tuple[Path, Path]:
    """Write a new Ed25519 key pair into ``folder``; refuse to overwrite an existing key. Returns (private, public)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private_path, public_path = folder / PRIVATE_KEY_NAME, folder / PUBLIC_KEY_NAME
    for path in (private_path, public_path):
        if path.exists():
            raise UserError(f"{path} already exists; move it away or choose another --out folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"--out {folder}: {error.strerror or error}") from None
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    # Created with mode 0600 from the start: the private key is never readable by others, not even briefly.
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(private_pem)
    public_path.write_bytes(public_pem)
    return private_path, public_path


def _load_key(path: Path, option: str, private: bool):
    """An Ed25519 key from a PEM file; UserError (one line, naming ``option``) when it cannot be one."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

    kind = "private" if private else "public"
    key: object
    try:
        data = path.read_bytes()
        if private:
            key = serialization.load_pem_private_key(data, password=None)
        else:
            key = serialization.load_pem_public_key(data)
    except OSError as error:
        raise UserError(f"{option} {path}: {error.strerror or error}") from None
    except TypeError:  # only a private key can be encrypted
        raise UserError(f"{option} {path}: the key is encrypted; use an unencrypted key (auditor keygen)") from None
    except ValueError as error:
        raise UserError(f"{option} {path}: not a PEM {kind} key ({error})") from None
    if not isinstance(key, Ed25519PrivateKey if private else Ed25519PublicKey):
        raise UserError(f"{option} {path}: not an Ed25519 {kind} key (make a pair with auditor keygen)")
    return key


def _load_private_key(path: Path):
    return _load_key(path, "--sign-key", private=True)


def load_public_key(path: Path):
    """The Ed25519 public key in a PEM file; UserError (one line) when it is not one."""
    return _load_key(path, "--public-key", private=False)


def check_signing_key(path: Path) -> None:
    """Fail early (before any audit) when the signing key cannot be used."""
    _load_private_key(path)


def sign_manifest(manifest: Path, private_key: Path) -> Path:
    """Write the detached signature of ``manifest``'s bytes beside it; return its path."""
    key = _load_private_key(private_key)
    signature = key.sign(manifest.read_bytes())
    target = signature_path(manifest)
    target.write_text(base64.b64encode(signature).decode("ascii") + "\n", encoding="ascii")
    return target


def signature_problem(manifest: Path, public_key: Path) -> str | None:
    """Why the signature of ``manifest`` does not hold under ``public_key``, or None when it does."""
    from cryptography.exceptions import InvalidSignature

    key = load_public_key(public_key)
    path = signature_path(manifest)
    if not path.is_file():
        return f"no signature ({path.name} is missing)"
    try:
        signature = base64.b64decode(path.read_text(encoding="ascii").strip(), validate=True)
    except (UnicodeDecodeError, binascii.Error, OSError):
        return f"{path.name} is not a base64 signature"
    try:
        key.verify(signature, manifest.read_bytes())
    except InvalidSignature:
        return f"the signature in {path.name} does not match {manifest.name} under this public key"
    return None
