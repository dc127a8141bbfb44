"""The typed environment helpers refuse values that are not what they claim to be."""

import subprocess
import sys

import pytest

from gongshi.env import EnvError, env, envbool, envint, envlist


@pytest.mark.parametrize("value", ["True", "true", "1"])
def test_envbool_accepts_true_spellings(monkeypatch, value):
    monkeypatch.setenv("GS_FLAG", value)
    assert envbool("GS_FLAG", "False") is True


@pytest.mark.parametrize("value", ["False", "false", "0"])
def test_envbool_accepts_false_spellings(monkeypatch, value):
    monkeypatch.setenv("GS_FLAG", value)
    assert envbool("GS_FLAG", "True") is False


@pytest.mark.parametrize("value", ["yes", "no", "on", "", "TRUE "])
def test_envbool_rejects_anything_else(monkeypatch, value):
    monkeypatch.setenv("GS_FLAG", value)
    with pytest.raises(EnvError, match="环境变量 GS_FLAG 只能是 True/False"):
        envbool("GS_FLAG", "False")


def test_envbool_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("GS_FLAG", raising=False)
    assert envbool("GS_FLAG", "True") is True


def test_envint_reads_an_integer(monkeypatch):
    monkeypatch.setenv("GS_NUMBER", "12")
    assert envint("GS_NUMBER", "0") == 12


@pytest.mark.parametrize("value", ["12a", "1.5", "", "十二"])
def test_envint_rejects_what_is_not_an_integer(monkeypatch, value):
    monkeypatch.setenv("GS_NUMBER", value)
    with pytest.raises(EnvError, match="环境变量 GS_NUMBER 必须是整数"):
        envint("GS_NUMBER", "0")


def test_a_file_variable_wins_over_the_plain_one(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-the-file\n", encoding="utf-8")
    monkeypatch.setenv("GS_SECRET", "from-the-environment")
    monkeypatch.setenv("GS_SECRET_FILE", str(secret))
    assert env("GS_SECRET") == "from-the-file"


def test_a_missing_file_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("GS_SECRET_FILE", str(tmp_path / "absent"))
    with pytest.raises(EnvError, match="无法读取环境变量 GS_SECRET_FILE"):
        env("GS_SECRET")


def test_envlist_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("GS_HOSTS", " a.example , b.example,,")
    assert envlist("GS_HOSTS") == ["a.example", "b.example"]


def test_settings_refuse_to_load_with_a_bad_debug_value(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import gongshi.settings"],
        env={"DEBUG": "yes", "GONGSHI_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "环境变量 DEBUG 只能是 True/False" in result.stderr
