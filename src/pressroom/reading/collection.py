"""The collection reader: a `*.collection.yaml` file in, a `model.Collection` out, or a SourceError.

A collection names a book of interviews and lists them in order, with part titles between
them. Each interview is read as a source, as the chapter it is (its anchors and note ids
begin `c1-`, `c2-` ...). Their registries (each folder's and each source's own front-matter
entries) are merged, and one cumulative index is built over all of them. Interviews are read
only from the collection's own folder and the folders under it, as a source's registries are.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..core import model as m
from ..core.errors import SourceError
from ..core.signals import leave_interrupts_to_parent
from ..core.words import warn_uncatalogued
from .frontmatter import book_identifier, language
from .index import build_index
from .reader import read
from .registry import MAX_REGISTRY_BYTES, Registry, load_registry, read_utf8
from .yamltree import YamlFile

SUFFIX = ".collection.yaml"
_KNOWN_KEYS = tuple((
    "title subtitle running-head editor publisher date identifier isbn rights lang history keywords blurb interviews"
).split())
MAX_INTERVIEWS = 1000


def is_collection(path: Path) -> bool:
    return path.name.endswith(SUFFIX)


def read_book(path: Path) -> m.Book:
    """A source as the book of one interview, a collection file as the book of its interviews."""
    return read_collection(path) if is_collection(Path(path)) else read(path)


def interview_files(path: Path) -> list[Path]:
    """The source files a collection file lists, in order (checked, but not read)."""
    yaml_file, nodes, _ = _parse(Path(path))
    return [item for item, _ in _interviews(yaml_file, nodes["interviews"]) if isinstance(item, Path)]


def read_collection(path: Path) -> m.Collection:
    """Read and check a collection file and every interview it names."""
    path = Path(path)
    yaml_file, nodes, text = _parse(path)

    contents: list[m.Document | m.PartTitle] = []
    sources = [(path.name, text)]  # the collection file and every interview, for the archival copy
    # the merged registry, and where each entry is from
    places: dict[tuple[m.MentionKind, str], tuple[m.Entry, str]] = {}
    listed = _interviews(yaml_file, nodes["interviews"])
    folders: dict[Path, Registry] = {}  # each folder's own registries, read once
    files = [item for item, _ in listed if isinstance(item, Path)]
    with _readers(len(files)) as readers:
        read_in_order = readers.map(read, files, range(1, len(files) + 1))  # each as the chapter it is
        for item, node in listed:
            if isinstance(item, str):
                contents.append(m.PartTitle(item, sum(isinstance(c, m.PartTitle) for c in contents) + 1))
                continue
            doc = next(read_in_order)  # the first interview in the list that fails is the one reported
            _merge(places, doc, item, path.parent, yaml_file, node, folders)
            contents.append(doc)
            sources.append((_relative_path(item, path.parent), doc.source_text))
    chapters = [item for item in contents if isinstance(item, m.Document)]
    front = _front(yaml_file, nodes, path, chapters[0].front.lang)
    registry: dict[m.MentionKind, dict[str, m.Entry]] = {kind: {} for kind in m.MentionKind}
    for (kind, key), (entry, _) in places.items():
        registry[kind][key] = entry
    collection = m.Collection(
        source_name=path.name.removesuffix(".yaml"), front=front, contents=tuple(contents),
        registry=registry, sources=tuple(sources),
    )
    return replace(collection, index=build_index(collection))


@contextmanager
def _readers(count: int) -> Iterator[Executor]:
    """Where `count` interviews are read side by side: in as many processes as there are cores.

    Each is mostly pandoc's reading and a tenth of a second of Python over its output, which
    threads would run one at a time under the interpreter's lock (40 interviews: 6.6-8 s in
    threads on two cores). Threads where no process may be started (a Dask worker is a daemon)
    or where one interview would not pay for starting one. On an error, the interviews not yet
    begun are dropped.
    """
    import multiprocessing  # not at the top: 20 ms of imports that `pressroom check` of one source never needs
    from concurrent.futures import ProcessPoolExecutor

    cores = os.cpu_count() or 1
    if count < 2 or cores < 2 or multiprocessing.current_process().daemon:
        executor: Executor = ThreadPoolExecutor(max_workers=cores)  # pandoc still runs as a process of its own
    else:
        context = multiprocessing.get_context("spawn")  # no fork of a process running threads (WeasyPrint's import)
        executor = ProcessPoolExecutor(min(cores, count), mp_context=context, initializer=leave_interrupts_to_parent)
    try:
        yield executor
    finally:
        executor.shutdown(cancel_futures=True)


def _parse(path: Path) -> tuple[YamlFile, dict[str, Node], str]:
    """The collection file's text and top-level nodes, its keys checked."""
    text = read_utf8(path, "collection file", MAX_REGISTRY_BYTES).replace("\r\n", "\n").replace("\r", "\n")
    yaml_file = YamlFile(path, text.split("\n"))
    root = yaml_file.parse(text)
    if root is None:
        raise SourceError(path, 1, 1, "the collection file is empty; it needs at least title and interviews")
    nodes = yaml_file.fields(root, "the collection file", "collection", _KNOWN_KEYS, ("title", "interviews"))
    return yaml_file, nodes, text


def _interviews(yaml_file: YamlFile, node: Node) -> list[tuple[Path | str, Node]]:
    """The interviews (their paths, checked) and part titles, in order, each with its node."""
    if not isinstance(node, SequenceNode) or not node.value:
        raise yaml_file.error(node, "interviews must be a list of source files (and part titles: - part: Title)")
    if len(node.value) > MAX_INTERVIEWS:
        raise yaml_file.error(node, f"a collection holds at most {MAX_INTERVIEWS} interviews")
    folder = yaml_file.path.parent
    seen: dict[Path, int] = {}
    items: list[tuple[Path | str, Node]] = []
    for entry in node.value:
        if isinstance(entry, MappingNode):
            fields = yaml_file.mapping(entry, "a part title")
            if [name for name, _, _ in fields] != ["part"]:
                raise yaml_file.error(entry, "a part title is written '- part: Title', with nothing else")
            items.append((yaml_file.string(fields[0][2], "a part title"), entry))
            continue
        if not isinstance(entry, ScalarNode):
            raise yaml_file.error(entry, "an interview is a source file's name (or '- part: Title')")
        name = yaml_file.string(entry, "an interview's file name")
        path = _confined(yaml_file, entry, folder, name)
        key = path.resolve()
        if key in seen:
            raise yaml_file.error(entry, f"interview '{name}' is already listed at line {seen[key]}")
        seen[key] = yaml_file.first_line + entry.start_mark.line
        items.append((path, entry))
    if not any(isinstance(item, Path) for item, _ in items):
        raise yaml_file.error(node, "interviews lists no source file")
    return items


def _confined(yaml_file: YamlFile, node: Node, folder: Path, name: str) -> Path:
    """The interview `name` names: a Markdown source in the collection's folder or a folder under it."""
    relative = Path(name)
    if "://" in name or relative.is_absolute() or ".." in relative.parts:
        raise yaml_file.error(node, f"interview '{name}' must be a path inside the collection's folder")
    if relative.suffix != ".md":
        raise yaml_file.error(node, f"interview '{name}' must be a source file (.md)")
    path = folder / relative
    if not path.is_file():
        raise yaml_file.error(node, f"interview '{name}' not found in {folder}")
    if not path.resolve().is_relative_to(folder.resolve()):  # a symbolic link out of the folder
        raise yaml_file.error(node, f"interview '{name}' leads outside the collection's folder")
    return path


def _merge(
    places: dict, doc: m.Document, source: Path, folder: Path, yaml_file: YamlFile, node: Node,
    folders: dict[Path, Registry],
) -> None:
    """Add an interview's registry entries to the merged registry `places`; the same key with different
    data in two places is an error at the interview's line, naming both places."""
    if source.parent not in folders:
        folders[source.parent] = load_registry(source.parent)
    shared = folders[source.parent]  # the folder's own, to say where an entry is from
    for kind, entries in doc.registry.items():
        for key, entry in entries.items():
            if shared.entries[kind].get(key) == entry:
                where = shared.defined_at[kind, key]
                origin = f"{_relative_path(source.parent / where.partition(':')[0], folder)}:{where.partition(':')[2]}"
            else:
                origin = f"{_relative_path(source, folder)} front matter"
            known = places.setdefault((kind, key), (entry, origin))
            if known[0] != entry:
                noun = kind.span_class
                raise yaml_file.error(node, f"{noun} '{key}' is defined differently in {known[1]} and in {origin}")


def _front(yaml_file: YamlFile, nodes: dict[str, Node], path: Path, default_lang: str) -> m.FrontMatter:
    """The book's front matter: title page, imprint and metadata."""
    title = yaml_file.string(nodes["title"], "the title")

    def text(name: str, what: str) -> str | None:
        return yaml_file.string(nodes[name], what) if name in nodes else None

    def texts(name: str, what: str) -> tuple[str, ...]:
        return yaml_file.strings(nodes[name], what) if name in nodes else ()

    lang = language(yaml_file, nodes["lang"]) if "lang" in nodes else default_lang
    if "lang" in nodes:  # else the first chapter's, which its reader has spoken for
        warn_uncatalogued(path, lang)
    identifier = book_identifier(yaml_file, nodes, path.stem, title)
    subtitle, running_head = text("subtitle", "the subtitle"), text("running-head", "the running head")
    return m.FrontMatter(
        title=(m.Text(title),), subtitle=(m.Text(subtitle),) if subtitle else (), lang=lang, speakers=(),
        running_head=(m.Text(running_head),) if running_head else (),
        date=yaml_file.date(nodes["date"], "date") if "date" in nodes else None, identifier=identifier,
        publisher=text("publisher", "publisher"), rights=text("rights", "rights"),
        history=texts("history", "a line of history"), keywords=texts("keywords", "a keyword"),
        editors=texts("editor", "an editor"), blurb=text("blurb", "the blurb"),
    )


def _relative_path(path: Path, folder: Path) -> str:
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return str(path)
