"""Secrets kept sealed in the database (authenticated encryption, Fernet), so that a copy of it or of a backup
does not hand out what it holds: today the two-factor seeds, which would let anyone make a member's codes.

The keys come from DATA_KEYS: the first seals, every one unseals, so a new key is put first and the old one kept
until every value has been sealed again (`flask --app consult reseal`). Without DATA_KEYS one key is derived from
SECRET_KEY, which then must not change while two-factor sign-in is in use.
"""
import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

__all__ = ["InvalidToken", "reseal", "seal", "unseal"]


def seal(text: str) -> str:
    """text sealed under the first key: an ASCII token that only the keys can open, and that shows tampering."""
    return _keys().encrypt(text.encode("utf-8")).decode("ascii")


def unseal(token: str) -> str:
    """The text a token holds; InvalidToken when no key opens it or it was altered."""
    return _keys().decrypt(token.encode("ascii")).decode("utf-8")


def reseal(token: str) -> str:
    """The token sealed again under the first key (rotation)."""
    return _keys().rotate(token.encode("ascii")).decode("ascii")


def _keys() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in _key_strings()])


def _key_strings() -> list[str]:
    configured = [key.strip() for key in current_app.config.get("DATA_KEYS") or () if key.strip()]
    return configured or [derived_key(current_app.config["SECRET_KEY"])]


def derived_key(secret_key: str) -> str:
    """A Fernet key derived from SECRET_KEY (HKDF-SHA256), used when no DATA_KEYS are configured."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"consult sealed data v1")
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode("utf-8"))).decode("ascii")
