from __future__ import annotations

import csv
import io
import json

from typer.testing import CliRunner

from mapapp.cli import EXIT_NOTHING, EXIT_OK, EXIT_PARTIAL, app

runner = CliRunner()
JSONL_KEYS = ["doc", "start", "end", "text", "name", "lat", "lon", "kind", "geonameid", "confidence"]


def test_geoparse_jsonl_has_exactly_the_documented_fields(text_files):
    result = runner.invoke(app, ["geoparse", str(text_files / "utf8.txt"), "--format", "jsonl"])
    assert result.exit_code == EXIT_OK, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in records] == ["Gori", "Georgia"]
    text = (text_files / "utf8.txt").read_text(encoding="utf-8")
    for r in records:
        assert list(r) == JSONL_KEYS
        assert r["doc"] == "utf8"
        assert text[r["start"]:r["end"]] == r["text"]
        assert r["kind"] in {"settlement", "country", "region", "water", "site"}
    assert records[0]["geonameid"] == 614455


def test_geoparse_csv_and_geojson(text_files):
    result = runner.invoke(app, ["geoparse", str(text_files / "notes.md"), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["text"] == "Alma-Ata" and rows[0]["name"] == "Almaty"
    result = runner.invoke(app, ["geoparse", str(text_files / "page.html"), "--format", "geojson"])
    collection = json.loads(result.stdout)
    assert collection["type"] == "FeatureCollection"
    assert "GeoNames" in collection["attribution"]
    point = collection["features"][0]
    assert point["geometry"]["type"] == "Point"
    lon, lat = point["geometry"]["coordinates"]
    assert abs(lat - 59.94) < 0.5 and abs(lon - 30.31) < 0.5


def test_batch_with_bad_files_reports_them_and_processes_the_rest(text_files):
    result = runner.invoke(app, ["geoparse", str(text_files), str(text_files / "missing.txt")])
    assert result.exit_code == EXIT_PARTIAL
    docs = {json.loads(line)["doc"] for line in result.stdout.splitlines()}
    assert docs == {"cyrillic", "notes", "page", "utf8"}
    for bad in ("binary.txt", "empty.txt", "missing.txt"):
        assert bad in result.stderr


def test_nothing_readable_exits_3(tmp_path):
    result = runner.invoke(app, ["geoparse", str(tmp_path / "none.txt")])
    assert result.exit_code == EXIT_NOTHING
    assert "none.txt: no such file" in result.stderr


def test_places_lists_distinct_places_with_counts(text_files):
    result = runner.invoke(app, ["places", str(text_files), "--json"])
    assert result.exit_code == EXIT_PARTIAL  # the binary and empty files
    places = [json.loads(line) for line in result.stdout.splitlines()]
    by_name = {p["name"]: p for p in places}
    assert by_name["Volgograd"]["mentions"] == 2
    assert sorted(by_name["Volgograd"]["surface_forms"]) == ["Stalingrad", "Tsaritsyn"]
    assert "candidates" in by_name["Saint Petersburg"]


def test_places_defaults_to_the_builtin_corpus():
    result = runner.invoke(app, ["places", "--top", "5"])
    assert result.exit_code == EXIT_OK
    lines = result.stdout.splitlines()
    assert len(lines) == 5
    assert any("Moscow" in line for line in lines)


def test_geocode_command_uses_the_gazetteer():
    result = runner.invoke(app, ["geocode", "Tiflis"])
    assert result.exit_code == EXIT_OK
    assert json.loads(result.stdout)["name"] == "Tbilisi"


def test_help_documents_exit_codes():
    result = runner.invoke(app, ["--help"])
    assert "Exit codes" in result.stdout and "3 no file" in result.stdout


def test_geoparse_demonyms_flag(tmp_path):
    (tmp_path / "t.txt").write_text("Russian troops crossed into Ukraine.", encoding="utf-8")
    plain = [json.loads(line) for line in runner.invoke(app, ["geoparse", str(tmp_path / "t.txt")]).output.splitlines()]
    result = runner.invoke(app, ["geoparse", str(tmp_path / "t.txt"), "--demonyms"])
    with_demonyms = [json.loads(line) for line in result.output.splitlines()]
    assert [r["text"] for r in plain] == ["Ukraine"]
    assert [(r["text"], r["kind"], r["name"]) for r in with_demonyms] == [("Russian", "demonym", "Russia"),
                                                                         ("Ukraine", "country", "Ukraine")]
