"""The explorer under hostile and concurrent use, through the app itself (streamlit.testing.v1.AppTest, the
upload widget included) and through the functions it calls: uploads persist and every session sees them,
a new upload is selected, a refused re-upload loses nothing, ids never collide, text from a link, a file name
or a document is never markup, and a bad corrections file leaves the app usable and resettable."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import streamlit as st
from hypothesis import given
from hypothesis.strategies import text
from streamlit.testing.v1 import AppTest

import mapapp.config
import mapapp.corrections
from mapapp import explorer as ex
from mapapp.config import CORPUS_DIR

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")
BUILTINS = sorted(p.stem for p in CORPUS_DIR.glob("*.txt"))
KOLYMA = b"# Kolyma notes\nIn 1937 prisoners were shipped from Vladivostok to Magadan."
OMSK = b"# Omsk letters\nIn 1941 the factories of Kharkov were moved to Omsk."


@pytest.fixture
def user(tmp_path, monkeypatch):
    """A server of its own: its cache and user folders (uploads, corrections) under ``tmp_path``."""
    monkeypatch.setattr(mapapp.config, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(mapapp.corrections, "USER_DIR", tmp_path / "user")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield tmp_path / "user"
    st.cache_resource.clear()
    st.cache_data.clear()


def session(**query) -> AppTest:
    """A new browser tab (or a reload) on the same server: fresh session state, shared caches."""
    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    """Choose files in the Your texts tab and press "Add texts", as a person does."""
    at.tabs[4].get("file_uploader")[0].set_value([(name, data, "text/plain") for name, data in files]).run()
    next(b for b in at.button if b.label == "Add texts").click().run()
    assert not at.exception
    return at


def sources(at: AppTest):
    return at.sidebar.multiselect(key="sources")


def unplain(shown: str) -> str:
    """What a person reads of ``ex.plain``'s output: its escapes and word joiners removed."""
    return re.sub(r"\\(.)", r"\1", shown.replace(ex.WORD_JOINER, ""))


def _option_ids(at: AppTest) -> list[str]:
    """The ids behind the Sources filter's labels: the dataset's documents (sorted) and the catalog."""
    from mapapp.maps import CATALOG_SOURCE

    docs = sorted(BUILTINS + [p.stem for p in ex.upload_paths(mapapp.corrections.USER_DIR / "uploads")])
    return docs + [CATALOG_SOURCE]


def markdown_bodies(at: AppTest) -> list[str]:
    """Every text the browser renders as markdown: alerts, captions, markdown, headers, expander labels."""
    bodies = [e.value for kind in ("warning", "error", "info", "success", "caption", "markdown", "subheader",
                                   "header", "title") for e in at.get(kind)]
    return bodies + [e.label for e in at.get("expander")]


LIVE_MARKUP = re.compile(r"(?<!\\)!\[|(?<!\\)\]\(|(?<!\\)<\s*(?:img|a|script)\b|https?://|www\.|(?<!\\)\*\*"
                         r"|\w@\w|:material/", re.IGNORECASE)


def assert_no_markup(at: AppTest) -> None:
    """No image, link, address, HTML or emphasis a browser's markdown would act on in any rendered text."""
    for body in markdown_bodies(at):
        assert not LIVE_MARKUP.search(body), body


# --- 1. uploads persist; the server's cache follows the disk --------------------------------------------

def test_an_upload_is_seen_after_a_reload_and_by_a_new_tab(user):
    first = upload(session(), ("kolyma.txt", KOLYMA))
    assert "Kolyma notes (unreviewed)" in sources(first).options
    reloaded = session()                                    # the same browser after F5: a fresh session
    assert not reloaded.exception
    assert "Kolyma notes (unreviewed)" in sources(reloaded).options
    assert "Kolyma notes (unreviewed)" in session().sidebar.multiselect(key="sources").options   # another tab


def test_two_tabs_uploading_different_texts_never_get_each_others_stale_data(user):
    tab_a, tab_b = session(), session()
    upload(tab_a, ("kolyma.txt", KOLYMA))
    assert "Kolyma notes (unreviewed)" in sources(tab_a).options
    # tab B opened before A's upload: its next upload is built with A's text, not served a stale dataset
    upload(tab_b, ("omsk.txt", OMSK))
    for tab in (tab_b, tab_a.run(), session()):
        assert {"Kolyma notes (unreviewed)", "Omsk letters (unreviewed)"} <= set(sources(tab).options)
        assert not tab.exception
    # and the disk key moves with every saved upload, so no cached dataset outlives what is on disk
    before = ex.disk_key(user / "uploads", user / "corrections.json")
    ex.ingest_uploads([("third.txt", b"In 1944 Grozny was emptied.")], user / "uploads")
    assert ex.disk_key(user / "uploads", user / "corrections.json") != before


def test_the_disk_key_ignores_hidden_files_and_follows_the_corrections_file(tmp_path):
    (tmp_path / "up").mkdir()
    (tmp_path / "up" / "a.txt").write_text("one", encoding="utf-8")
    key = ex.disk_key(tmp_path / "up", tmp_path / "corrections.json")
    (tmp_path / "up" / ".upload-x.txt").write_text("half written", encoding="utf-8")    # a save in progress
    (tmp_path / "up" / ".uploads.lock").write_text("", encoding="utf-8")
    assert ex.disk_key(tmp_path / "up", tmp_path / "corrections.json") == key
    (tmp_path / "corrections.json").write_text("[]", encoding="utf-8")
    assert ex.disk_key(tmp_path / "up", tmp_path / "corrections.json") != key
    assert [p.name for p in ex.upload_paths(tmp_path / "up")] == ["a.txt"]


# --- 2. a new upload is selected on the map; its shared link works ----------------------------------------

def test_a_new_upload_is_selected_and_a_link_naming_it_reopens_the_view(user):
    at = session(sources=BUILTINS[2])                         # a shared link narrowed to one text
    assert sources(at).value == [BUILTINS[2]]                 # the filter's values are ids, its options labels
    upload(at, ("kolyma.txt", KOLYMA))
    assert sources(at).value == [BUILTINS[2], "kolyma"]
    assert at.query_params["sources"] in (f"{BUILTINS[2]},kolyma", [f"{BUILTINS[2]},kolyma"])
    assert [s.value for s in at.success] and "kolyma.txt" in unplain(at.success[0].value)
    shared = session(sources=f"{BUILTINS[2]},kolyma")       # the link, opened elsewhere
    assert not shared.warning and not shared.exception
    assert sources(shared).value == sources(at).value


def test_with_new_sources_adds_the_upload_to_what_was_chosen():
    options = ["a", "b", "up", "catalog"]
    assert ex.with_new_sources(["b"], options, ["up"]) == ["b", "up"]
    assert ex.with_new_sources(None, options, ["up"]) == options             # everything stays everything
    assert ex.with_new_sources(["b"], options, ["gone"]) == ["b"]            # never an option that is not there


# --- 3. a refused re-upload never deletes the earlier file ------------------------------------------------

@pytest.mark.parametrize("bad, problem", [
    (bytes(range(256)) * 8, "binary"),
    (b"a" * (ex.UPLOAD_LIMIT_BYTES + 1), "limit"),
    (b"   \n\n  ", "empty"),
    (b"\xef\xbb\xbf \t\r\n", "empty"),
])
def test_a_refused_reupload_keeps_the_earlier_file(tmp_path, bad, problem):
    folder = tmp_path / "uploads"
    [good] = ex.ingest_uploads([("notes.txt", KOLYMA)], folder)
    manifest = (folder / "sources.yaml").read_text(encoding="utf-8")
    [refused] = ex.ingest_uploads([("notes.txt", bad)], folder)
    assert good.ok and not refused.ok and problem in refused.message
    assert (folder / "notes.txt").read_bytes() == KOLYMA
    assert (folder / "sources.yaml").read_text(encoding="utf-8") == manifest
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock")) == ["notes.txt", "sources.yaml"]


def test_a_refused_reupload_in_the_app_keeps_the_text_on_the_map(user):
    at = upload(session(), ("kolyma.txt", KOLYMA))
    upload(at, ("kolyma.txt", b"\x00\x01\x02\x03" * 100))
    assert any("binary" in e.value for e in at.error)        # the refusal is said, after the rerun
    assert (user / "uploads" / "kolyma.txt").read_bytes() == KOLYMA
    assert "Kolyma notes (unreviewed)" in sources(session()).options


def test_every_message_of_a_batch_survives_the_rerun(user):
    at = upload(session(), ("kolyma.txt", KOLYMA), ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00" * 30))
    assert [unplain(s.value).split(":")[0] for s in at.success] == ["kolyma.txt"]
    assert [unplain(e.value).split(":")[0] for e in at.error] == ["photo.txt"]
    assert "kolyma" in sources(at).value


# --- 4. document ids are unique ---------------------------------------------------------------------------

def test_an_upload_named_like_a_builtin_text_gets_a_distinct_id_in_the_app(user):
    at = session()
    builtin_label = dict(zip(_option_ids(at), sources(at).options))[BUILTINS[1]]
    upload(at, (f"{BUILTINS[1]}.txt", KOLYMA))
    shown = dict(zip(_option_ids(at), sources(at).options))
    assert shown[BUILTINS[1]] == builtin_label                # the built-in text keeps its id, title and kind
    assert shown[f"{BUILTINS[1]}-2"] == "Kolyma notes (unreviewed)"
    assert (user / "uploads" / f"{BUILTINS[1]}-2.txt").read_bytes() == KOLYMA
    assert f"saved as {BUILTINS[1]}-2.txt" in unplain(at.success[0].value)


def test_upload_ids_never_collide(tmp_path):
    folder = tmp_path / "uploads"
    [notes] = ex.ingest_uploads([("notes.txt", KOLYMA)], folder)
    [other] = ex.ingest_uploads([("notes.md", OMSK)], folder)             # another file with the same id
    [again] = ex.ingest_uploads([("notes.md", OMSK + b" Twice.")], folder)  # a re-upload replaces its own copy
    [builtin] = ex.ingest_uploads([(f"{BUILTINS[0]}.html", b"<p>In 1941 Moscow.</p>")], folder)
    [catalog] = ex.ingest_uploads([("catalog.txt", b"In 1941 Moscow.")], folder)
    [comma] = ex.ingest_uploads([("a,b.txt", b"In 1941 Moscow.")], folder)          # would split a shared link
    [hidden] = ex.ingest_uploads([("..hidden.txt", b"In 1941 Moscow.")], folder)
    [long] = ex.ingest_uploads([("я" * 200 + ".txt", b"In 1941 Moscow.")], folder)   # past a file system's limit
    ids = [notes.doc, other.doc, builtin.doc, catalog.doc, comma.doc, hidden.doc, long.doc]
    assert all(r.ok for r in (notes, other, again, builtin, catalog, comma, hidden, long))
    assert ids[:5] == ["notes", "notes-2", f"{BUILTINS[0]}-2", "catalog-2", "a_b"] and again.doc == "notes-2"
    assert len(set(ids)) == len(ids) and not any(d.startswith(".") or "," in d for d in ids)
    assert (folder / "notes.txt").read_bytes() == KOLYMA
    # the build reads exactly these ids (none renamed "~uploads" behind the app's back)
    from mapapp.corpus import iter_documents

    read = [d.id for d in iter_documents(sorted(CORPUS_DIR.glob("*.txt")) + ex.upload_paths(folder))]
    assert set(ids) <= set(read) and len(read) == len(set(read))


def test_the_manifest_lists_only_texts_that_exist_and_a_broken_one_refuses_before_saving(tmp_path):
    folder = tmp_path / "uploads"
    ex.ingest_uploads([("a.txt", KOLYMA), ("b.txt", OMSK)], folder)
    (folder / "b.txt").unlink()                               # removed by hand
    ex.ingest_uploads([("c.txt", OMSK)], folder)
    from mapapp.sources import load_manifest

    assert set(load_manifest(folder / "sources.yaml", documents={"a", "c"})) == {"a", "c"}
    (folder / "sources.yaml").write_text("- doc: a\n  title: [unclosed", encoding="utf-8")
    [refused] = ex.ingest_uploads([("d.txt", OMSK)], folder)
    assert not refused.ok and "sources.yaml" in refused.message and not (folder / "d.txt").exists()


# --- 5. text from a link, a file name or a document is never markup ----------------------------------------

INJECTIONS = {
    "image and link": "![i](http://evil.example/t.png),[x](http://evil.example)",
    "html": "<img src=http://evil.example/t.png><a href=http://evil.example>x</a>",
    "bare address": "see www.evil.example or https://evil.example/x or me@evil.example",
    "emphasis and icons": "**bold** _it_ ~~gone~~ $x^2$ :red[red] :material/home:",
    "heading": "# big",
    "autolink": "<https://evil.example>",
}


@pytest.mark.parametrize("param", ["years", "themes", "sources", "place", "uncertain"])
@pytest.mark.parametrize("name", list(INJECTIONS))
def test_link_parameters_are_shown_as_plain_text(user, param, name):
    value = INJECTIONS[name]
    at = session(**{param: value})
    assert not at.exception
    assert_no_markup(at)
    if param in ("years", "themes", "sources"):
        notices = [unplain(w.value) for w in at.warning]
        # the value is shown, as the characters it is (a link's comma splits a list of themes or sources)
        assert any(value.split(",")[0].strip()[:40] in n for n in notices), notices
    if param == "place":
        assert at.text_input(key="place").value == value      # kept in its text box, where it is only text


def test_an_overlong_link_value_is_cut_in_its_notice(user):
    at = session(themes="x" * 100_000)
    assert len(at.warning) == 1 and len(at.warning[0].value) < 400


def test_hostile_upload_names_and_titles_are_plain_text_everywhere(user):
    title = b"# ![i](http://evil.example/t.png) [x](www.evil.example) **now** <img src=x> :material/home:\n" \
            b"In 1937 prisoners were shipped from Vladivostok to Magadan."
    at = upload(session(sources=BUILTINS[0]), ("[x](http:evil.example) **a**.txt", title))
    assert len(sources(at).value) == 2                        # the caption names the chosen sources by title
    assert "![i](http://evil.example/t.png)" in unplain(at.caption[0].value)
    assert "![i](http://evil.example/t.png)" in unplain(at.success[0].value)
    assert_no_markup(at)


def test_plain_escapes_markup_and_breaks_every_autolink():
    for value in [*INJECTIONS.values(), "- item", "1. item", "2) item", "> quote", "&lt;b&gt; &amp;", "a | b",
                  "line one\n\n# line two", "WWW.EVIL.EXAMPLE", "mailto:me@evil.example", "`code`"]:
        shown = ex.plain(value)
        assert unplain(shown) == " ".join(value.split())   # reads as written, on one line
        assert "\n" not in shown and not LIVE_MARKUP.search(shown), shown
        assert not re.match(r"[-+=>#]|\d+[.)]", shown), shown # never a list, quote or heading
        assert not re.search(r"(?<!\\)[\[\]<>`*_!&$~|]", shown.replace("\\\\", "")), shown
    assert ex.plain("1. no") == "1\\. no" and ex.plain("- a") == "\\- a"
    assert ex.plain("www.x") == f"www{ex.WORD_JOINER}.x" and ex.plain("a@b") == f"a{ex.WORD_JOINER}@b"


@given(text(max_size=200))
def test_plain_reads_as_written_for_any_text(value):
    shown = ex.plain(value)
    assert unplain(shown) == " ".join(value.split())
    assert not re.search(r"https?://|www\.|\w@", shown, re.IGNORECASE)


# --- 6. a bad or stale corrections file ---------------------------------------------------------------------

def test_a_truncated_corrections_file_is_named_and_reset_with_a_backup(user):
    bad = user / "corrections.json"
    bad.parent.mkdir(parents=True)
    bad.write_text('[{"surface": "Gori", "act', encoding="utf-8")
    at = session()
    assert not at.exception
    [error] = at.error
    assert "corrections.json" in unplain(error.value) and "not valid JSON" in error.value
    assert str(bad) in [c.value for c in at.code]             # the file to repair, to copy
    assert at.get("component_instance")                       # the map is drawn
    places = at.tabs[3]
    assert places.label == "Places" and places.dataframe and places.selectbox   # the Places tab renders
    reset = at.button(key="reset_corrections")
    assert reset.label == "Reset corrections (keeps a backup)"
    reset.click().run()
    backups = sorted(user.glob("corrections.json.bad-*"))
    assert not bad.exists() and [b.read_text(encoding="utf-8") for b in backups] == ['[{"surface": "Gori", "act']
    assert not at.error and any(backups[0].name in unplain(s.value) for s in at.success)
    assert not [b for b in at.button if b.key == "reset_corrections"]
    # corrections can be saved again
    at.tabs[3].selectbox[0].set_value("Gori")
    at.tabs[3].radio[0].set_value("not a place")
    at.tabs[3].button[0].click()
    at.run()
    assert '"surface": "Gori"' in bad.read_text(encoding="utf-8")


@pytest.mark.parametrize("content, problem", [
    ('{"surface": "Gori"}', "list of corrections"),
    ('[{"surface": "Gori", "action": "teleport"}]', "unknown action"),
    ("\udcff".encode("utf-8", "surrogateescape").decode("latin-1"), "not valid JSON"),
])
def test_other_bad_corrections_files_leave_the_app_usable(user, content, problem):
    user.mkdir(parents=True)
    (user / "corrections.json").write_text(content, encoding="utf-8")
    at = session()
    assert not at.exception and at.tabs[3].dataframe
    assert any(problem in unplain(e.value) for e in at.error), [e.value for e in at.error]
    assert [b for b in at.button if b.key == "reset_corrections"]


def test_a_correction_naming_an_unknown_place_is_named_and_the_app_renders(user):
    user.mkdir(parents=True)
    stale = user / "corrections.json"
    stale.write_text(json.dumps([{"surface": "Gori", "action": "place_id", "place_id": "nowhere:404"}]),
                     encoding="utf-8")
    at = session()
    assert not at.exception and at.tabs[3].dataframe
    [warning] = at.warning
    assert "corrections.json" in unplain(warning.value) and "nowhere:404" in unplain(warning.value)
    at.button(key="reset_corrections").click().run()
    assert not stale.exists() and (user / "corrections.json.bad-1").exists() and not at.warning
