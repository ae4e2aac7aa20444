"""Fixtures that build real data: text files of every kind, and the real gazetteer."""
from __future__ import annotations

import pytest

from mapapp.catalog import load_catalog
from mapapp.gazetteer import default_gazetteer
from mapapp.models import Document


@pytest.fixture(scope="session")
def gazetteer():
    return default_gazetteer()


# A small curated catalog: a deportation with a sourced figure, and a front line.
CATALOG = """
- id: deportation-chechens-1944
  title: Deportation of the Chechens and Ingush
  theme: deportation
  start: 1944-02-23
  actors: [Chechens, Ingush]
  names: [Operation Lentil]
  places: [{name: Chechnya, role: origin}, {name: Kazakhstan, role: destination}]
  people: [{count: 496000, what: deported, approx: true, source: "https://en.wikipedia.org/wiki/Operation_Lentil"}]
  sources: [{url: "https://en.wikipedia.org/wiki/Operation_Lentil"}]
- id: front-line-1942-11-18
  title: Eastern Front line, 18 November 1942
  theme: front
  kind: front_line
  start: 1942-11-18
  places: [{name: Murmansk, role: waypoint}, {name: Leningrad, role: waypoint}, {name: Rzhev, role: waypoint},
           {name: Voronezh, role: waypoint}, {name: Stalingrad, role: waypoint}, {name: Nalchik, role: waypoint}]
  sources: [{url: "https://en.wikipedia.org/wiki/Eastern_Front_(World_War_II)"}]
"""


# Another: three battles of 1941–1944, with the names texts call them by.
SMALL_CATALOG = """
- id: front-battle-of-stalingrad-1942-1943
  title: Battle of Stalingrad
  theme: front
  start: 1942-08-23
  end: 1943-02-02
  names: [Stalingrad]
  places: [{name: Stalingrad, role: site}]
  people: [{count: 1100000, what: casualties, approx: true, source: "https://en.wikipedia.org/wiki/Battle_of_Stalingrad"}]
  sources: [{url: "https://en.wikipedia.org/wiki/Battle_of_Stalingrad"}]
- id: front-operation-bagration-1944
  title: Operation Bagration
  theme: front
  start: 1944-06-22
  end: 1944-08-19
  names: [Bagration]
  places: [{name: Minsk, role: site}, {name: Belarus, role: site}]
  sources: [{url: "https://en.wikipedia.org/wiki/Operation_Bagration"}]
- id: front-operation-barbarossa-1941
  title: Operation Barbarossa
  theme: front
  start: 1941-06-22
  end: 1941-12-05
  names: [Barbarossa]
  places: [{name: Soviet Union, role: site}]
  sources: [{url: "https://en.wikipedia.org/wiki/Operation_Barbarossa"}]
"""


def _catalog_from(tmp_path, gazetteer, text: str, name: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_catalog([path], gazetteer=gazetteer)


@pytest.fixture
def catalog(tmp_path, gazetteer):
    return _catalog_from(tmp_path, gazetteer, CATALOG, "events.yaml")


@pytest.fixture
def small_catalog(tmp_path, gazetteer):
    return _catalog_from(tmp_path, gazetteer, SMALL_CATALOG, "fronts.yaml")


@pytest.fixture
def make_doc():
    def _make(text: str, doc_id: str = "t") -> Document:
        return Document(id=doc_id, title=doc_id, text=text, source=doc_id)
    return _make


@pytest.fixture
def text_files(tmp_path):
    """A folder with good and bad files, as a user might drop them in."""
    (tmp_path / "utf8.txt").write_text("Stalin was born in Gori, Georgia, in 1878.", encoding="utf-8")
    (tmp_path / "cyrillic.txt").write_bytes("Сталин родился в Гори. Tsaritsyn was renamed Stalingrad in 1925, "
                                            "and Сталинград is its Russian name.".encode("cp1251"))
    (tmp_path / "page.html").write_text(
        "<html><head><title>Siege</title><script>var Moscow = 1;</script></head>"
        "<body><h1>Leningrad</h1><p>The siege of Leningrad began in 1941.</p></body></html>", encoding="utf-8")
    (tmp_path / "notes.md").write_text("# Exile\n\nTrotsky was exiled to Alma-Ata in 1928.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    return tmp_path
