"""Keys of tile services (Tianditu's ``tk``) in the operating system's keyring, never in settings.

``keyring`` picks the platform's store (Secret Service on Linux, Keychain, Windows Credential
Locker). Without one (a server with no Secret Service) nothing is stored and the key lasts for
the session only; :func:`store_key` says so.
"""

from __future__ import annotations

KEYRING_SERVICE = "gisapp"
_session_keys: dict[str, str] = {}


def load_key(service: str) -> str:
    """The stored key of ``service`` ("" if none or no keyring)."""
    if service in _session_keys:
        return _session_keys[service]
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            return keyring.get_password(KEYRING_SERVICE, service) or ""
        except KeyringError:
            return ""
    except Exception:  # a broken backend must not stop the map
        return ""


def store_key(service: str, key: str) -> str | None:
    """Keep ``key`` in the keyring; None when stored, else why it is kept for this session only."""
    _session_keys[service] = key
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            if key:
                keyring.set_password(KEYRING_SERVICE, service, key)
            else:
                try:
                    keyring.delete_password(KEYRING_SERVICE, service)
                except keyring.errors.PasswordDeleteError:
                    pass
        except KeyringError as exc:
            return f"no system keyring ({exc}); the key is kept until gisapp closes"
    except Exception as exc:
        return f"no system keyring ({exc}); the key is kept until gisapp closes"
    return None


def use_for_session(service: str, key: str) -> None:
    """Use ``key`` until gisapp closes without storing it (a preview while the user types)."""
    _session_keys[service] = key
