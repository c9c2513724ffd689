"""Generates interviews in pressroom's source format, for batch tests and benchmarks.

    python benchmarks/generate.py OUT_DIR [--count 20] [--words 4300] [--seed 1]

Every interview has its own speakers, films and people (a shared films.yaml and
people.yaml beside them), so nothing depends on the canonical source.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

WORDS = (
    "the film was shot over weeks in a small town where every actor we cast had never worked before and "
    "that gave the scenes an energy I could not have planned because the camera simply followed them "
    "through the streets at night while the crew stayed out of sight and we waited for the light to change "
    "so much of the story came from the place itself its people their jokes and the way they talked"
).split()
FIRST = "Ada Bruno Carla Dario Elena Fabio Greta Hugo Ines Jonas Katya Luca Mira Nils Olga Pavel Rosa Teo".split()
LAST = "Almeida Berger Costa Duval Eklund Ferreira Gallo Haas Ivanova Jansen Kovac Lindqvist Moreau Novak".split()
TITLE_WORDS = "Red Night River Summer Glass Harbour Silent Winter Station Paper Moon Garden Stranger Last".split()


def film_title(rng: random.Random) -> str:
    words = rng.sample(TITLE_WORDS, rng.randint(1, 3))
    return ("The " if rng.random() < 0.3 else "") + " ".join(words)


def registries(rng: random.Random, films: int, people: int) -> tuple[dict, dict]:
    film_table, person_table = {}, {}
    while len(film_table) < films:
        title = film_title(rng)
        key = title.lower().replace(" ", "-")
        if key not in film_table:
            film_table[key] = {
                "title": title,
                "year": rng.randint(1950, 2024),
                "director": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            }
    while len(person_table) < people:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        key = name.lower().replace(" ", "-")
        if key not in person_table:
            person_table[key] = {"name": name}
    return film_table, person_table


def sentence(rng: random.Random, films: dict, people: dict) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 22))
    if rng.random() < 0.35:
        key = rng.choice(sorted(films))
        words.insert(rng.randint(0, len(words)), f"[{films[key]['title']}]{{.film}}")
    if rng.random() < 0.25:
        key = rng.choice(sorted(people))
        words.insert(rng.randint(0, len(words)), f"[{people[key]['name']}]{{.person}}")
    if rng.random() < 0.05:
        words.insert(rng.randint(0, len(words)), "[laughs]")
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice([".", ".", "?", "!"])


def paragraph(rng: random.Random, films: dict, people: dict, words: int) -> str:
    out = []
    while sum(len(s.split()) for s in out) < words:
        out.append(sentence(rng, films, people))
    return " ".join(out)


def interview(rng: random.Random, number: int, films: dict, people: dict, words: int) -> str:
    interviewer, guest = rng.sample(LAST, 2)
    guest_name = f"{rng.choice(FIRST)} {guest}"
    film = films[rng.choice(sorted(films))]["title"]
    lines = [
        "---",
        f'title: "Interview {number}: On Making [{film}]{{.film}}"',
        f'subtitle: "{guest_name} in conversation"',
        "lang: en",
        f"date: 2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "speakers:",
        f"  {interviewer}: {{role: interviewer}}",
        f"  {guest}: {{role: interviewee, name: {guest_name}}}",
        "---",
        "",
        "::: headnote",
        paragraph(rng, films, people, 40),
        ":::",
        "",
        "::: introduction",
        paragraph(rng, films, people, 120),
        "",
        paragraph(rng, films, people, 120),
        ":::",
        "",
        "::: interview",
    ]
    written = 280
    while written < words:
        lines += ["", f"{interviewer}: {paragraph(rng, films, people, 30)}", ""]
        answer = rng.randint(80, 200)
        lines.append(f"{guest}: {paragraph(rng, films, people, answer)}")
        written += 30 + answer
        if rng.random() < 0.3:
            lines += ["", paragraph(rng, films, people, 60)]
            written += 60
    lines += [":::", ""]
    return "\n".join(lines)


def yaml_table(table: dict) -> str:
    out = []
    for key, entry in table.items():
        out.append(f"{key}:")
        out += [
            f'  {field}: "{value}"' if isinstance(value, str) else f"  {field}: {value}"
            for field, value in entry.items()
        ]
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--words", type=int, default=4300, help="words of interview per source")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    films, people = registries(rng, films=30, people=30)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "films.yaml").write_text(yaml_table(films), encoding="utf-8")
    (args.out / "people.yaml").write_text(yaml_table(people), encoding="utf-8")
    for number in range(1, args.count + 1):
        (args.out / f"interview-{number:03d}.md").write_text(
            interview(rng, number, films, people, args.words), encoding="utf-8"
        )


if __name__ == "__main__":
    main()
