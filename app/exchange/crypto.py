"""Password protection of bundles: scrypt key derivation and AES-256-GCM over an authenticated header."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from app.errors import UserError
from app.i18n import _

CIPHER = "AES-256-GCM"
KDF = "scrypt"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
# A crafted file must not make us spend gigabytes of memory or minutes of CPU: a reader accepts at most
# twice the writer's cost factor and the writer's block size and parallelism. scrypt needs 128·n·r bytes:
# 32 MB for what we write, 64 MB at the most we accept (and about a second of work, not half a minute).
MAX_N, MAX_R, MAX_P = 2 * SCRYPT_N, SCRYPT_R, SCRYPT_P
MAX_KDF_MEMORY = 128 * MAX_N * MAX_R
MIN_PASSWORD = 8
MAX_PASSWORD_FILE = 4096
_CHECK_LABEL = b"vnedrenie-bundle-password-check"


class WrongPassword(UserError):
    """The password does not open the file."""


@dataclass(frozen=True)
class Envelope:
    """The public encryption parameters written into the (authenticated) bundle manifest."""

    salt: bytes
    nonce: bytes
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P
    check: str = ""

    def as_json(self) -> dict:
        return {"cipher": CIPHER, "kdf": KDF, "n": self.n, "r": self.r, "p": self.p,
                "salt": _b64(self.salt), "nonce": _b64(self.nonce), "check": self.check}

    @classmethod
    def from_json(cls, data) -> Envelope:
        bad = UserError(_("The file's encryption parameters are not supported."))
        if not isinstance(data, dict) or data.get("cipher") != CIPHER or data.get("kdf") != KDF:
            raise bad
        try:
            n, r, p = (int(data[k]) for k in ("n", "r", "p"))
            salt, nonce = _unb64(data["salt"]), _unb64(data["nonce"])
            check = str(data["check"])
        except (KeyError, TypeError, ValueError):
            raise bad from None
        if not (2 <= n <= MAX_N and n & (n - 1) == 0 and 1 <= r <= MAX_R and 1 <= p <= MAX_P):
            raise bad
        if 128 * n * r * p > MAX_KDF_MEMORY:
            raise bad
        if len(salt) < 16 or len(nonce) != 12 or len(check) != 64:
            raise bad
        return cls(salt=salt, nonce=nonce, n=n, r=r, p=p, check=check)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def _derive(password: str, env: Envelope) -> tuple[bytes, str]:
    """(AES key, password check): two halves of one scrypt output."""
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    material = Scrypt(salt=env.salt, length=64, n=env.n, r=env.r, p=env.p).derive(password.encode("utf-8"))
    key, check_key = material[:32], material[32:]
    return key, hmac.new(check_key, _CHECK_LABEL, hashlib.sha256).hexdigest()


def new_envelope(password: str) -> tuple[Envelope, bytes]:
    """Fresh random salt and nonce; returns the envelope (with its password check) and the key."""
    env = Envelope(salt=os.urandom(16), nonce=os.urandom(12))
    key, check = _derive(password, env)
    return Envelope(salt=env.salt, nonce=env.nonce, n=env.n, r=env.r, p=env.p, check=check), key


def encrypt(key: bytes, env: Envelope, plaintext: bytes, header: bytes) -> bytes:
    """AES-GCM: the header (the manifest bytes) is authenticated, the payload encrypted."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key).encrypt(env.nonce, plaintext, header)


def encryptor(key: bytes, env: Envelope, header: bytes):
    """``encrypt`` in pieces, for a payload written as it is produced: ``update(chunk)`` gives ciphertext,
    ``finalize()`` the rest and ``tag`` the 16-byte tag; ciphertext + tag is what ``encrypt`` returns for
    the whole plaintext (AES-GCM is a stream cipher with the tag at the end), so ``decrypt`` reads it."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    context = Cipher(algorithms.AES(key), modes.GCM(env.nonce)).encryptor()
    context.authenticate_additional_data(header)
    return context


def unlock(password: str, env: Envelope) -> bytes:
    """The AES key of a sealed file for ``password``; WrongPassword when the password check fails."""
    key, check = _derive(password, env)
    if not hmac.compare_digest(check, env.check):
        raise WrongPassword(_("Wrong password: the file cannot be opened with it."))
    return key


def decrypt_stream(key: bytes, env: Envelope, pieces: Iterable[bytes], header: bytes) -> Iterator[bytes]:
    """``decrypt`` of ciphertext + tag given in pieces: yields the plaintext as it comes; after the last piece,
    UserError (as ``decrypt``'s) when the contents fail the authenticity check. Plaintext yielded before that is
    not yet authenticated: a caller acts on it only once a whole pass has gone through."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    context = Cipher(algorithms.AES(key), modes.GCM(env.nonce)).decryptor()
    context.authenticate_additional_data(header)
    held = b""
    for piece in pieces:
        data = held + piece
        held = data[-16:]
        if len(data) > 16:
            yield context.update(data[:-16])
    try:
        if len(held) != 16:
            raise InvalidTag
        tail = context.finalize_with_tag(held)
    except InvalidTag:
        raise UserError(_("The file is damaged or was changed after it was made: its contents "
                          "do not pass the authenticity check.")) from None
    if tail:
        yield tail


def decrypt(password: str, env: Envelope, ciphertext: bytes, header: bytes) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key, check = _derive(password, env)
    if not hmac.compare_digest(check, env.check):
        raise WrongPassword(_("Wrong password: the file cannot be opened with it."))
    try:
        return AESGCM(key).decrypt(env.nonce, ciphertext, header)
    except InvalidTag:
        raise UserError(_("The file is damaged or was changed after it was made: its contents "
                          "do not pass the authenticity check.")) from None


def read_password_file(path: str | Path, *, for_encryption: bool = False) -> str:
    """The first line of a small UTF-8 text file (the trailing line break is not part of the password)."""
    from app.fileio import read_input_file

    path = Path(path).expanduser()
    if not os.path.lexists(path):
        raise UserError(_("The password file {path} does not exist.").format(path=path))
    raw = read_input_file(path, MAX_PASSWORD_FILE)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(_("The password file {path} is not UTF-8 text: save it as UTF-8 with the password on its "
                          "first line.").format(path=path)) from None
    password = text.splitlines()[0] if text.splitlines() else ""
    if not password:  # «Пароль пуст.» named neither the file nor what to do (tester L, item 12)
        raise UserError(_("The password file {path} holds no password (its first line is empty): write the password "
                          "on the first line of that file and run the command again.").format(path=path))
    check_password(password, for_encryption=for_encryption)
    return password


def check_password(password: str, *, for_encryption: bool = False) -> None:
    if not password:
        raise UserError(_("The password is empty."))
    if for_encryption and len(password) < MIN_PASSWORD:
        raise UserError(_("The password is too short: at least {n} characters are needed.").format(n=MIN_PASSWORD))
