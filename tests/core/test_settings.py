"""Configuration comes from the environment, read in one place (settings/base.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from allas_site.settings.base import email_settings_from_url

ROOT = Path(__file__).resolve().parents[2]


def settings_in_subprocess(module, env, expression):
    """Import a settings module in a clean interpreter with exactly ``env``."""
    clean = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME"}}
    code = f"import {module} as s; print(repr({expression}))"
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env={**clean, **env}, cwd=ROOT,
        capture_output=True, text=True, timeout=60,
    )
    return result


def test_embedded_default_with_nothing_set():
    result = settings_in_subprocess(
        "allas_site.settings.dev",
        {},
        "(s.DATABASES['default']['ENGINE'], s.CHANNEL_LAYERS['default']['BACKEND'],"
        " s.CACHES['default']['BACKEND'], s.EMAIL_BACKEND)",
    )
    assert result.returncode == 0, result.stderr
    assert eval(result.stdout) == (  # noqa: S307 - repr of our own tuple
        "allas_site.core.sqlite_pool",  # Django's SQLite backend, connections pooled
        "channels.layers.InMemoryChannelLayer",
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.mail.backends.console.EmailBackend",
    )


def test_postgres_and_redis_when_their_urls_are_set():
    result = settings_in_subprocess(
        "allas_site.settings.dev",
        {"DATABASE_URL": "postgresql://u:p@db:5432/campus", "REDIS_URL": "redis://cache:6379/0"},
        "(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'],"
        " s.CHANNEL_LAYERS['default']['BACKEND'], s.CACHES['default']['BACKEND'],"
        " s.DATABASES['default']['CONN_MAX_AGE'], s.DATABASES['default']['OPTIONS']['pool'])",
    )
    assert result.returncode == 0, result.stderr
    assert eval(result.stdout) == (  # noqa: S307
        "django.db.backends.postgresql",
        "campus",
        "allas_site.channel_layer.FanOutRedisChannelLayer",  # one Redis reader per process
        "allas_site.core.cache.ResilientRedisCache",
        0,  # pooled, never persistent: see the README's "Connections"
        {"min_size": 2, "max_size": 20, "timeout": 4.0, "max_idle": 60},
    )


def test_channels_redis_own_layer_on_request():
    result = settings_in_subprocess(
        "allas_site.settings.dev",
        {"REDIS_URL": "redis://cache:6379/0",
         "CHANNEL_LAYER_BACKEND": "channels_redis.core.RedisChannelLayer"},
        "s.CHANNEL_LAYERS['default']['BACKEND']",
    )
    assert result.returncode == 0, result.stderr
    assert eval(result.stdout) == "channels_redis.core.RedisChannelLayer"  # noqa: S307


def test_pool_size_comes_from_the_environment():
    result = settings_in_subprocess(
        "allas_site.settings.dev",
        {"DATABASE_URL": "postgresql://u:p@db:5432/campus", "DB_POOL_MAX_SIZE": "8",
         "DB_POOL_MIN_SIZE": "1", "DB_POOL_TIMEOUT": "2.5"},
        "s.DATABASES['default']['OPTIONS']['pool']",
    )
    assert result.returncode == 0, result.stderr
    assert eval(result.stdout) == {  # noqa: S307
        "min_size": 1, "max_size": 8, "timeout": 2.5, "max_idle": 60,
    }


def test_sqlite_waits_for_writers_instead_of_failing():
    result = settings_in_subprocess(
        "allas_site.settings.dev", {}, "s.DATABASES['default']['OPTIONS']"
    )
    assert result.returncode == 0, result.stderr
    options = eval(result.stdout)  # noqa: S307
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 5


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "campus.example"}
    del env[missing]
    result = settings_in_subprocess("allas_site.settings.production", env, "s.DEBUG")
    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr


def test_production_passes_the_deploy_checks():
    env = {
        key: value for key, value in os.environ.items() if key in {"PATH", "HOME"}
    } | {
        "DJANGO_SETTINGS_MODULE": "allas_site.settings.production",
        "SECRET_KEY": "k3y-" + "a9Zq7" * 12,
        "ALLOWED_HOSTS": "campus.example",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_email_url_is_parsed():
    parsed = email_settings_from_url("smtp://campus%40allas.org:s3cr%2Ft@mail.example:587?tls=1")
    assert parsed["EMAIL_HOST"] == "mail.example"
    assert parsed["EMAIL_PORT"] == 587
    assert parsed["EMAIL_HOST_USER"] == "campus@allas.org"
    assert parsed["EMAIL_HOST_PASSWORD"] == "s3cr/t"
    assert parsed["EMAIL_USE_TLS"] is True
    with pytest.raises(ValueError):
        email_settings_from_url("carrier-pigeon://nowhere")
