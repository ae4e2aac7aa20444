"""Paths and settings in one place.

``MAPAPP_GEODATA`` points at another data folder and ``MAPAPP_CACHE`` at another cache folder;
both default to folders of the repository checkout (mapapp is installed editable by the Makefile).
"""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
GEODATA_DIR = Path(os.environ.get("MAPAPP_GEODATA", REPO_ROOT / "geodata"))
GAZETTEER_DIR = GEODATA_DIR / "gazetteer"
CORPUS_DIR = GEODATA_DIR / "corpus"
CACHE_DIR = Path(os.environ.get("MAPAPP_CACHE", REPO_ROOT / ".mapapp-cache"))

# Files larger than this are refused rather than read: a history text is kilobytes, and a
# 50 MB "text" is almost always a mistake (a dump, a binary renamed .txt).
MAX_FILE_BYTES = int(os.environ.get("MAPAPP_MAX_FILE_BYTES", 20 * 1024 * 1024))
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
