"""The Streamlit app's widget logic, with streamlit.testing.v1.AppTest (no browser)."""
from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import mapapp.config
import mapapp.corrections

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setattr(mapapp.config, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(mapapp.corrections, "USER_DIR", tmp_path / "user")
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=90)
    yield at
    st.cache_resource.clear()


def count(at) -> int:
    return int(at.caption[0].value.split()[0])


def test_app_opens_on_the_builtin_corpus(app):
    app.run()
    assert not app.exception
    assert app.title[0].value == "Soviet history explorer"
    assert count(app) > 100
    assert app.slider(key="years").value == (1937, 1945)
    assert len(app.sidebar.multiselect(key="sources").options) == 6   # five texts and the catalog
    assert [t.label for t in app.tabs] == ["Map", "Events", "Disputed", "Places", "Your texts", "Export"]


def test_slider_and_themes_change_the_view_and_the_url(app):
    app.run()
    before = count(app)
    app.slider(key="years").set_value((1941, 1945)).run()
    narrower = count(app)
    assert narrower < before
    assert app.query_params["years"] == "1941-1945"
    app.checkbox(key="theme_front").uncheck().run()
    assert count(app) < narrower
    assert "front" not in app.query_params["themes"]


def test_a_shared_link_reopens_the_view(app):
    app.query_params["years"] = "1944-1944"
    app.query_params["themes"] = "deportation"
    app.run()
    assert app.slider(key="years").value == (1944, 1944)
    assert [c.key for c in app.checkbox if c.value] == ["theme_deportation"]
    assert not app.warning


def test_a_bad_link_falls_back_with_a_notice(app):
    app.query_params["years"] = "1999-1900"
    app.query_params["themes"] = "weather"
    app.run()
    notices = " ".join(w.value for w in app.warning)
    assert "1999-1900" in notices and "weather" in notices
    assert app.slider(key="years").value == (1937, 1945)


def test_single_year_mode_steps(app):
    app.run()
    app.toggle(key="single").set_value(True).run()
    start = app.slider(key="year").value
    next(b for b in app.button if b.label == "▶").click().run()
    assert app.slider(key="year").value == start + 1
    assert count(app) >= 0 and not app.exception


def test_place_search_lists_its_events(app):
    app.run()
    app.slider(key="years").set_value((1878, 1991)).run()
    app.text_input(key="place").set_value("Stalingrad").run()
    assert not app.exception
    assert any(s.value == "Volgograd" for s in app.subheader)
    assert app.query_params["place"] == "Stalingrad"


def test_disputed_tab_lists_claims(app):
    app.run()
    app.slider(key="years").set_value((1878, 1991)).run()
    disputed_tab = app.tabs[2]
    assert "where historical sources disagree" in disputed_tab.caption[0].value
    assert int(disputed_tab.caption[0].value.split()[0]) >= 1
    labels = [e.label for e in disputed_tab.expander]
    # the alternate-history wiki is contrasted, not counted among the historical disputes
    assert any("Death of Joseph Stalin" in label and "alternate history says otherwise" in label for label in labels)
    texts = [t.value for t in disputed_tab.text]
    assert any(t.startswith("Why: ") for t in texts)                       # the reason comes first, in words
    assert not any("001_a1c100cb372226dc" in t for t in texts)             # sources by title, never by id


def test_uncertain_events_are_behind_a_switch(app):
    app.run()
    shown = count(app)
    app.sidebar.toggle(key="uncertain").set_value(True).run()
    assert count(app) > shown
    assert app.query_params.get("uncertain") in ("1", ["1"])


def test_a_place_correction_is_saved_and_rebuilds(app, tmp_path):
    app.run()
    places = app.tabs[3]
    places.selectbox[0].set_value("Gori")
    places.radio[0].set_value("not a place")
    places.button[0].click()
    app.run()
    saved = (tmp_path / "user" / "corrections.json").read_text(encoding="utf-8")
    assert '"surface": "Gori"' in saved and "not_a_place" in saved
    assert "Gori" not in set(app.tabs[3].selectbox[0].options)

