from __future__ import annotations

import pytest

import mapapp.corpus as corpus
from mapapp.corpus import builtin_corpus, decode_bytes, iter_documents, load_document
from mapapp.errors import CorpusError


def test_utf8_file_keeps_text_and_stem(text_files):
    doc = load_document(text_files / "utf8.txt")
    assert doc.id == "utf8"
    assert doc.text.startswith("Stalin was born in Gori")
    assert doc.encoding == "utf-8"


def test_cp1251_is_detected_and_decoded(text_files):
    doc = load_document(text_files / "cyrillic.txt")
    assert "Сталинград" in doc.text
    assert "Гори" in doc.text
    assert doc.encoding != "utf-8"


def test_latin1_bytes_decode_to_the_right_characters():
    text, encoding = decode_bytes("Königsberg was renamed Kaliningrad in 1946; Breslau became Wrocław? "
                                  "No: Königsberg, Görlitz and Zürich.".encode("latin-1", errors="ignore"))
    assert "Königsberg" in text and "Görlitz" in text
    assert encoding != "utf-8"


def test_html_gives_visible_text_without_scripts(text_files):
    doc = load_document(text_files / "page.html")
    assert doc.title == "Siege"
    assert "siege of Leningrad began" in doc.text
    assert "var Moscow" not in doc.text


def test_markdown_title_is_first_heading(text_files):
    assert load_document(text_files / "notes.md").title == "Exile"


@pytest.mark.parametrize("name, problem", [("empty.txt", "empty"), ("binary.txt", "binary")])
def test_bad_files_are_refused_with_their_name(text_files, name, problem):
    with pytest.raises(CorpusError) as info:
        load_document(text_files / name)
    assert name in str(info.value)
    assert problem in str(info.value)


def test_missing_path_and_unsupported_type(tmp_path):
    with pytest.raises(CorpusError, match="no such file"):
        load_document(tmp_path / "nope.txt")
    (tmp_path / "data.csv").write_text("a,b", encoding="utf-8")
    with pytest.raises(CorpusError, match="unsupported file type '.csv'"):
        load_document(tmp_path / "data.csv")


def test_oversized_file_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus, "MAX_FILE_BYTES", 1000)
    big = tmp_path / "big.txt"
    big.write_text("Moscow " * 1000, encoding="utf-8")
    with pytest.raises(CorpusError, match="over the"):
        load_document(big)


def test_batch_reports_bad_files_and_keeps_the_rest(text_files):
    errors = []
    docs = list(iter_documents([text_files], on_error=errors.append))
    assert sorted(d.id for d in docs) == ["cyrillic", "notes", "page", "utf8"]
    assert sorted(e.path.rsplit("/", 1)[-1] for e in errors) == ["binary.txt", "empty.txt"]


def test_folder_without_texts_is_an_error(tmp_path):
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    errors = []
    assert list(iter_documents([tmp_path], on_error=errors.append)) == []
    assert "no text files" in str(errors[0])


def test_builtin_corpus_ships_the_five_texts():
    docs = builtin_corpus()
    assert len(docs) == 5
    assert {d.id for d in docs} >= {"001_a1c100cb372226dc", "002_84889b0b05e14acd"}
    assert all(len(d.text) > 1000 for d in docs)
