"""Flask application settings, one class per environment."""

import os


class BaseConfig:
    """Settings shared by every environment."""

    SECRET_KEY = "f3a9c1e7b2d84c06a5e1"  # expect: PY-S901
    TOKEN_TYPE = "Bearer"  # ok: PY-S901
    PASSWORD_RESET_URL = "https://accounts.example.com/reset"  # ok: PY-S901  # expect: PY-A203
    API_KEY_HEADER = "X-API-Key"  # ok: PY-S901
    PASSWORD_MIN_LENGTH = 12
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///dev.db")


class ProductionConfig(BaseConfig):
    """Production reads every secret from the environment."""

    SECRET_KEY = os.environ["SECRET_KEY"]  # ok: PY-S901
    MAIL_PASSWORD = os.environ["MAIL_PASSWORD"]  # ok: PY-S901


class TestingConfig(BaseConfig):
    """Unit tests use throwaway values."""

    SECRET_KEY = ""  # ok: PY-S901
    MAIL_PASSWORD = "changeme"  # ok: PY-S901  # expect: PY-A203
    ADMIN_PASSWORD = "${ADMIN_PASSWORD}"  # ok: PY-S901


MAIL_SETTINGS = {
    "server": "smtp.example.com",
    "username": "noreply@example.com",
    "password": "Sm7p!relay2024",  # expect: PY-S901
    "password_hint": "see the team vault",  # ok: PY-S901
}
