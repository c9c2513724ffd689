"""The books in other languages (tests/languages) pass EPUBCheck and DAISY Ace as the English ones do:
their own words, labels and language tags are as valid and as accessible."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import LANGUAGE_BOOKS, assert_ace_clean, assert_epubcheck_clean, language_stem


@pytest.mark.parametrize("folder", LANGUAGE_BOOKS)
def test_epubcheck_reports_nothing(languages: Path, folder: str) -> None:
    assert_epubcheck_clean(languages / f"{language_stem(folder)}.epub")


@pytest.mark.parametrize("folder", LANGUAGE_BOOKS)
def test_daisy_ace_finds_no_violation(languages: Path, folder: str, tmp_path: Path) -> None:
    assert_ace_clean(languages / f"{language_stem(folder)}.epub", tmp_path)
