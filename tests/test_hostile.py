"""Hostile and faulty input, one test per case: every failure is a clear message (never a traceback or a
hang), a bad file never stops a batch, nothing saved is lost. The app's cases are in
``tests/test_app_hostile.py``; parallel builds in ``tests/test_distributed.py``. Times of the pathological
inputs are measured in ``benchmarks/bench_hostile.py``, not here."""
from __future__ import annotations

import json
import multiprocessing
import os
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from mapapp.cli import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, app
from mapapp.corpus import MAX_HTML_DEPTH, decode_bytes, html_depth, html_to_text, iter_documents, load_document
from mapapp.corrections import (Correction, apply_corrections, load_corrections, reset_corrections,
                                save_correction, stale_corrections)
from mapapp.dates import find_dates
from mapapp.errors import CorpusError, CorrectionsError
from mapapp.events import extract_events, find_people_count, split_sentences
from mapapp.gazetteer import default_gazetteer
from mapapp.models import Document
from mapapp.toponyms import geoparse

runner = CliRunner()
TEXT = "Сталин родился в Гори. Stalin was born in Gori, Georgia, in 1878 and died in Moscow in 1953."


def _no_traceback(result) -> None:
    assert "Traceback" not in result.output and not isinstance(result.exception, (OSError, KeyError, ValueError)), \
        result.output


# --- decoding what people have -------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig", "cp1251"])
def test_texts_in_the_encodings_people_have(tmp_path, encoding):
    path = tmp_path / "t.txt"
    path.write_bytes(TEXT.encode(encoding))
    assert load_document(path).text == TEXT


def test_utf16_without_a_byte_order_mark():
    assert decode_bytes("Stalin was born in Gori in 1878.".encode("utf-16-le"))[0] == "Stalin was born in Gori in 1878."


@pytest.mark.parametrize("content, problem", [
    (bytes(range(256)) * 40, "binary"),
    (b"", "empty"),
    (b"   \n\t\n", "empty"),
    (b"Gori\x00\x01\x02 text", "binary"),
    (b"\xff\xfe\x00\xd8", "not valid UTF-16"),          # a BOM, then half a surrogate pair
])
def test_files_that_are_not_text_are_refused_with_the_reason(tmp_path, content, problem):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(CorpusError, match=problem):
        load_document(path)


def test_an_unsupported_suffix_is_refused(tmp_path):
    (tmp_path / "t.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(CorpusError, match="unsupported file type '.pdf'"):
        load_document(tmp_path / "t.pdf")


def test_an_oversized_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("mapapp.corpus.MAX_FILE_BYTES", 100)
    (tmp_path / "big.txt").write_text("Moscow " * 100, encoding="utf-8")
    with pytest.raises(CorpusError, match="over the 0 MB limit"):
        load_document(tmp_path / "big.txt")


def test_a_file_that_cannot_be_read_is_a_message(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text(TEXT, encoding="utf-8")

    def denied(self):
        raise PermissionError(13, "Permission denied", str(self))
    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(CorpusError, match="cannot be read: permission denied"):
        load_document(path)


def test_a_folder_named_like_a_text_is_refused(tmp_path):
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(CorpusError, match="not a regular file"):
        load_document(tmp_path / "folder.txt")


# --- a bad file never stops a batch ------------------------------------------------------------

def test_an_unreadable_file_in_a_folder_does_not_stop_the_batch(tmp_path, monkeypatch):
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "locked.txt").write_text(TEXT, encoding="utf-8")
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = runner.invoke(app, ["geoparse", str(tmp_path)])
    _no_traceback(result)
    assert result.exit_code == EXIT_PARTIAL and "locked.txt: cannot be read" in result.output
    assert '"text": "Gori"' in result.output


def test_a_missing_file_on_the_command_line_does_not_stop_the_batch(tmp_path):
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    result = runner.invoke(app, ["events", str(tmp_path / "missing.txt"), str(tmp_path / "good.txt")])
    _no_traceback(result)
    assert result.exit_code == EXIT_PARTIAL and "missing.txt: no such file" in result.output
    assert '"theme": "biography"' in result.output


def test_same_named_files_in_two_folders_are_two_documents(tmp_path):
    for folder, text in (("a", "Stalin was born in Gori in 1878."), ("b", "Lenin died at Gorki in 1924.")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notes.txt").write_text(text, encoding="utf-8")
    documents = list(iter_documents([tmp_path / "a", tmp_path / "b"]))
    assert [d.id for d in documents] == ["notes", "notes~b"] and "Gorki" in documents[1].text


# --- pathological shapes are read in linear time (times: benchmarks/bench_hostile.py) ----------

def test_deeply_nested_html_is_read_by_stripping_tags():
    page = "<html><body>" + "<div>" * 50_000 + "Moscow &amp; Kiev<script>x()</script>" + "</div>" * 50_000 + "</body></html>"
    assert html_depth(page) > MAX_HTML_DEPTH
    assert html_to_text(page) == ("Moscow & Kiev", "")


def test_thousands_of_short_lines_each_keep_their_own_places(make_doc):
    text = "\n".join(f"In {1900 + i % 50} troops entered {'Kyiv' if i % 2 else 'Minsk'}." for i in range(2000))
    events = [e for e in extract_events(make_doc(text)) if e.theme == "front"]
    assert len(events) == 2000
    assert all(e.places[0].name == ("Kyiv" if i % 2 else "Minsk") for i, e in enumerate(events))


def test_one_very_long_line_of_counts_and_dates(make_doc):
    sentence = " ".join(f"in {1900 + i % 90}, {i + 1},000 people" for i in range(3000))
    assert find_people_count(sentence, [(d.start, d.end) for d in find_dates(sentence)]) == 1000


# --- the command line: messages and exit codes, never tracebacks -------------------------------

@pytest.mark.parametrize("args, message", [
    (["export", "--out", "/proc/mapapp-test.html"], "/proc"),
    (["export", "--out", "/etc/hosts/map.html"], "/etc/hosts"),
    (["export", "--out", "{tmp}", "--format", "html"], "is a folder"),
    (["export", "--out", "{tmp}/m.png", "--width", "0"], "must be 100–8000 pixels"),
    (["export", "--out", "{tmp}/m.png", "--height", "100000"], "must be 100–8000 pixels"),
    (["export", "--out", "{tmp}/m.geojson", "--sources", "nosuchdoc"], "unknown source(s) nosuchdoc"),
    (["export", "--out", "{tmp}/m.geojson", "--themes", "bogus"], "unknown theme(s) bogus"),
    (["export", "--out", "{tmp}/m.geojson", "--years", "1945-1941"], "not a range"),
    (["export", "--out", "{tmp}/m.geojson", "--years", "soon"], "not YEAR or YEAR-YEAR"),
    (["export", "--out", "{tmp}/m.txt"], "format"),
    (["export", "--out", "{tmp}/m.html", "--year", "99999"], "less than or equal to 2100"),
    (["places", "--top", "-1"], "greater than or equal to 0"),
    (["events", "--theme", "bogus"], "unknown theme 'bogus'"),
    (["catalog", "--theme", "bogus"], "unknown theme 'bogus'"),
])
def test_bad_command_lines_are_messages(tmp_path, args, message):
    result = runner.invoke(app, [a.replace("{tmp}", str(tmp_path)) for a in args])
    _no_traceback(result)
    assert result.exit_code == EXIT_USAGE and message in result.output
    assert not list(tmp_path.glob("m.*")) and not list(tmp_path.glob(".*.tmp"))   # nothing written, no temp left


def test_a_build_with_a_truncated_corrections_file_names_it(tmp_path, monkeypatch):
    bad = tmp_path / "user" / "corrections.json"
    bad.parent.mkdir()
    bad.write_text('[{"surface": "Gori", "action": "not_a', encoding="utf-8")
    monkeypatch.setattr("mapapp.corrections.USER_DIR", bad.parent)
    (tmp_path / "t.txt").write_text(TEXT, encoding="utf-8")
    result = runner.invoke(app, ["build", str(tmp_path / "t.txt"), "--out", str(tmp_path / "out")])
    _no_traceback(result)
    assert result.exit_code == EXIT_USAGE and "corrections.json: is not valid JSON" in result.output
    assert bad.read_text(encoding="utf-8").startswith('[{"surface"')     # the user's file is left as it was


# --- corrections: nothing lost -----------------------------------------------------------------

def test_concurrent_saves_from_threads_are_all_kept(tmp_path):
    path = tmp_path / "corrections.json"
    threads = [threading.Thread(target=lambda k=k: [save_correction(Correction(f"Place{k}-{i}", "not_a_place"), path)
                                                    for i in range(25)]) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(load_corrections(path)) == 200


def _save_many(path: str, prefix: str) -> None:
    for i in range(40):
        save_correction(Correction(f"{prefix}{i}", "not_a_place"), Path(path))


def test_concurrent_saves_from_processes_are_all_kept(tmp_path):
    path = tmp_path / "corrections.json"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_save_many, args=(str(path), p)) for p in ("a", "b", "c")]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert [w.exitcode for w in workers] == [0, 0, 0]
    assert len(load_corrections(path)) == 120 and not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize("content, problem", [
    ('[{"surface": "Gori", "act', "is not valid JSON"),
    ('{"surface": "Gori"}', "should hold a list"),
    ('["Gori"]', "correction 1 is not an object"),
    ('[{"surface": "Gori", "action": "explode"}]', "unknown action 'explode'"),
    ('[{"surface": "Gori", "action": "not_a_place", "colour": "red"}]', "unexpected keyword argument 'colour'"),
    ('[{"surface": "X", "action": "coordinates", "lat": 91, "lon": 0}]', "coordinates must be"),
])
def test_bad_corrections_files_name_the_file_and_the_problem(tmp_path, content, problem):
    path = tmp_path / "corrections.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CorrectionsError, match=problem) as info:
        load_corrections(path)
    assert str(path) in str(info.value)


def test_a_bad_corrections_file_is_reset_with_a_backup(tmp_path):
    path = tmp_path / "corrections.json"
    path.write_text("{broken", encoding="utf-8")
    backup = reset_corrections(path)
    assert backup.read_text(encoding="utf-8") == "{broken" and not path.exists()
    save_correction(Correction("Gori", "not_a_place"), path)
    assert [c.surface for c in load_corrections(path)] == ["Gori"]


def test_a_correction_naming_an_unknown_place_is_skipped_with_its_reason(make_doc):
    gazetteer = default_gazetteer()
    stale = Correction("Gori", "place_id", place_id="geonames:0")
    mentions = geoparse(make_doc("Stalin was born in Gori in 1878."))
    assert [m.place.name for m in apply_corrections(mentions, [stale], gazetteer)] == ["Gori"]
    assert "geonames:0" in stale_corrections([stale], gazetteer)[0]


def test_a_correction_saved_into_a_missing_folder_creates_it(tmp_path):
    path = tmp_path / "new" / "user" / "corrections.json"
    save_correction(Correction("Gori", "not_a_place"), path)
    assert json.loads(path.read_text(encoding="utf-8"))[0]["surface"] == "Gori"


# --- properties of the parsers: any text, no exception, spans that index the text ---------------

_WORDS = st.sampled_from(["In", "1941", "on", "5", "December", "the", "1930s", "Moscow", "Gori", ",", ".", "\n\n",
                          "3.3", "million", "750,000", "people", "–", "1878", "–", "1953", "(", ")", "Kiev", "BC",
                          "spring", "of", "age", "74", "Tsaritsyn", "Stalin", "'", "\u00a0", "Ж", "🙂", "0", "99999"])
_TEXTS = st.one_of(st.text(max_size=300), st.lists(_WORDS, max_size=60).map(" ".join))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS)
def test_dates_index_the_text_and_are_ordered(text):
    for d in find_dates(text):
        assert text[d.start:d.end] == d.text and d.first.first_day() <= d.last.last_day()


@settings(max_examples=150, deadline=None)
@given(_TEXTS)
def test_people_counts_are_positive_or_none(text):
    count = find_people_count(text, [(d.start, d.end) for d in find_dates(text)])
    assert count is None or count > 0


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS)
def test_sentences_and_mentions_index_the_text(text):
    sentences = split_sentences(text)
    assert all(text[s.start:s.end] == s.text for s in sentences)
    assert all(a.end <= b.start for a, b in zip(sentences, sentences[1:]))
    if text.strip():
        for m in geoparse(Document(id="p", title="p", text=text, source="p")):
            assert text[m.start:m.end] == m.text


def test_the_exit_codes_keep_their_meaning(tmp_path):
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    assert runner.invoke(app, ["geoparse", str(tmp_path / "good.txt")]).exit_code == EXIT_OK
    assert runner.invoke(app, ["geoparse", str(tmp_path / "none.txt")]).exit_code == 3
    assert os.path.exists(tmp_path / "good.txt")
