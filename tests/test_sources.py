"""Sources as records: the corpus manifest, titles and kinds, and clear errors for bad entries."""
from __future__ import annotations

import pytest

from mapapp.config import CORPUS_DIR
from mapapp.corpus import builtin_corpus, load_document
from mapapp.sources import KINDS, SourceManifestError, load_manifest, source_for


def test_the_builtin_corpus_has_a_reviewed_manifest():
    sources = {doc.id: source_for(doc) for doc in builtin_corpus()}
    assert len(sources) == 5 and all(s.kind != "unreviewed" for s in sources.values())
    wiki = sources["001_a1c100cb372226dc"]
    assert wiki.is_fiction and wiki.reliability == "not history" and "alternate history" in wiki.label
    assert sources["002_84889b0b05e14acd"].kind == "encyclopedia"
    assert sources["000_ccbcb5c07b62dda6"].label.endswith("(student work)")
    assert len({s.title for s in sources.values()}) == 5          # a reader can tell them apart


def test_a_text_without_manifest_entry_is_unreviewed_and_titled_by_its_heading(tmp_path):
    path = tmp_path / "memoir.md"
    path.write_text("# My grandmother's exile\n\nIn 1944 she was deported to Kazakhstan.", encoding="utf-8")
    source = source_for(load_document(path))
    assert source.title == "My grandmother's exile" and source.kind == "unreviewed"
    assert source.label == "My grandmother's exile (unreviewed)" and not source.is_fiction


@pytest.mark.parametrize("yaml_text, problem", [
    ("- doc: a\n  title: A\n  kind: gossip\n", "unknown kind 'gossip'"),
    ("- doc: missing\n  title: M\n  kind: news\n", "no document with this id"),
    ("- doc: a\n  kind: news\n", "needs at least 'doc' and 'title'"),
    ("- doc: a\n  title: A\n  colour: red\n", "unknown field(s) colour"),
    ("- doc: a\n  title: A\n- doc: a\n  title: B\n", "listed twice"),
    ("doc: a\n", "expected a list"),
    ("- [unclosed\n", "cannot be read as YAML"),
])
def test_a_bad_manifest_entry_names_the_file_and_entry(tmp_path, yaml_text, problem):
    manifest = tmp_path / "sources.yaml"
    manifest.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(SourceManifestError) as error:
        load_manifest(manifest, documents={"a"})
    assert problem in str(error.value) and str(manifest) in str(error.value)


def test_every_kind_has_a_reliability_label():
    assert {"encyclopedia", "textbook", "essay", "student_work", "memoir", "news", "archival", "fiction",
            "unreviewed"} <= set(KINDS)
    assert load_manifest(CORPUS_DIR / "sources.yaml", documents={p.stem for p in CORPUS_DIR.glob("*.txt")})
