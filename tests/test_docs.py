"""The README documents what the code registers: every CLI command, every geocoder kind, the JSONL shape."""
from __future__ import annotations

from pathlib import Path

from mapapp.cli import app
from mapapp.geocoders import geocoder_names

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_quick_start_shows_the_two_commands_first():
    quick_start = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert quick_start.index("make run") < quick_start.index("make test")


def test_every_cli_command_is_documented():
    for command in app.registered_commands:
        assert f"mapapp {command.name}" in README, command.name


def test_geocoders_are_documented():
    assert "`gazetteer`" in README
    assert "any geopy service" in README
    for service in ("nominatim", "photon"):
        assert service in geocoder_names() and service in README


def test_jsonl_fields_are_documented():
    for field in ("doc", "start", "end", "text", "name", "lat", "lon", "kind", "geonameid", "confidence"):
        assert f'"{field}"' in README
