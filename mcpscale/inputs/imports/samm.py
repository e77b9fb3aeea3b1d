"""The OWASP SAMM core model (the YAML `model/` folder of owaspsamm/core) read into a questionnaire.

One dimension per business function, one area per security practice, one question per
activity (each stream at each maturity level), its choices from the activity question's answer
set. A SAMM answer's value (0, 0.25, 0.5, 1) becomes a level of 0, 25, 50 or 100 (coverage in
percent), so a practice's SAMM score (0-3) is its mean coverage x 3.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mcpscale.errors import UserError
from mcpscale.inputs.imports import Conversion, counted, slug, unique

FOLDERS = (
    "business_functions",
    "security_practices",
    "streams",
    "practice_levels",
    "maturity_levels",
    "activities",
    "questions",
    "answer_sets",
)
# What each kind of SAMM file holds that the questionnaire carries; anything else is listed.
_CARRIED = {
    "business_functions": {"model", "id", "name", "description", "order", "type"},
    "security_practices": {
        "function",
        "id",
        "name",
        "shortName",
        "shortDescription",
        "order",
        "type",
    },
    "streams": {"practice", "id", "name", "letter", "order", "type"},
    "practice_levels": {"practice", "maturityLevel", "id", "objective", "type"},
    "maturity_levels": {"id", "number", "type"},
    "activities": {"stream", "level", "id", "title", "shortDescription", "benefit", "type"},
    "questions": {"activity", "answerSet", "id", "text", "order", "quality", "type"},
    "answer_sets": {"id", "values", "type"},
}
# SAMM's four answers by value: a short choice id, and the name of the level they score.
_ANSWERS = {
    0: ("no", "No"),
    25: ("some", "Some"),
    50: ("half", "At least half"),
    100: ("most", "Most or all"),
}


def convert_samm(folder: Path) -> Conversion:
    """Read a SAMM model folder (or the repository holding `model/`); problems are UserErrors."""
    return _Model(folder).convert()


@dataclass
class _Item:
    path: Path
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return _text(self.data.get("id"))

    def get(self, key: str) -> str:
        return _text(self.data.get(key))

    def order(self) -> tuple[float, str]:
        return _number(self.data.get("order")), self.path.name


@dataclass
class _Model:
    given: Path
    folder: Path = field(init=False)
    items: dict[str, list[_Item]] = field(default_factory=dict)
    not_carried: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.folder = self.given / "model" if (self.given / "model").is_dir() else self.given

    def read(self) -> None:
        from mcpscale.inputs.yaml import load_yaml

        if not self.given.is_dir():
            raise UserError.at(
                self.given,
                "not a folder; pass the model/ folder of the OWASP SAMM core repository "
                "(github.com/owaspsamm/core)",
            )
        missing = [name for name in FOLDERS if not (self.folder / name).is_dir()]
        if missing:
            raise UserError.at(
                self.folder,
                f"not an OWASP SAMM model folder: it has no {', '.join(missing)} folder"
                f"{'s' * (len(missing) > 1)}; pass the model/ folder of the OWASP SAMM core "
                "repository (github.com/owaspsamm/core)",
            )
        for name in FOLDERS:
            files = sorted(
                p for p in (self.folder / name).iterdir() if p.suffix in (".yml", ".yaml")
            )
            self.items[name] = []
            for path in files:
                data = load_yaml(path).data
                if not isinstance(data, dict) or not _text(data.get("id")):
                    raise UserError.at(
                        path, "has no 'id'; every SAMM model file needs its unique identifier"
                    )
                self.items[name].append(_Item(path, data))
            if not self.items[name]:
                raise UserError.at(
                    self.folder / name, "holds no .yml files; restore it from the SAMM repository"
                )
            self._note_extra_fields(name)

    def _note_extra_fields(self, name: str) -> None:
        extra = [
            key
            for item in self.items[name]
            for key, value in item.data.items()
            if key not in _CARRIED[name] and value not in (None, "", [], {})
        ]
        if extra:
            self.not_carried.append(f"{name} fields (how often): {counted(extra)}")

    def by_id(self, name: str) -> dict[str, _Item]:
        return {item.id: item for item in self.items[name]}

    def children(self, name: str, link: str, parent: str) -> list[_Item]:
        return sorted((i for i in self.items[name] if i.get(link) == parent), key=_Item.order)

    def orphans(self, name: str, link: str, parents: Iterable[str], what: str) -> None:
        known = set(parents)
        for item in self.items[name]:
            if item.get(link) not in known:
                self.not_carried.append(
                    f"{self._name(item)}: its {link} '{item.get(link)}' is not {what}; left out"
                )

    def _name(self, item: _Item) -> str:
        return f"{item.path.parent.name}/{item.path.name}"

    def convert(self) -> Conversion:
        self.read()
        functions = sorted(self.items["business_functions"], key=_Item.order)
        levels = self._activity_levels()
        answer_sets = {item.id: item for item in self.items["answer_sets"]}
        questions_of = {
            activity.id: self.children("questions", "activity", activity.id)
            for activity in self.items["activities"]
        }
        self.orphans("security_practices", "function", (f.id for f in functions), "a function")
        self.orphans("streams", "practice", self.by_id("security_practices"), "a security practice")
        self.orphans("activities", "stream", self.by_id("streams"), "a stream")
        self.orphans("questions", "activity", questions_of, "an activity")

        scale_levels: set[int] = set()
        dimensions: list[dict[str, Any]] = []
        questions: list[dict[str, Any]] = []
        dimension_ids: set[str] = set()
        question_ids: set[str] = set()
        for function in functions:
            dimension_id = unique(slug(function.get("name") or function.id), dimension_ids)
            areas: list[dict[str, Any]] = []
            area_ids: set[str] = set()
            for practice in self.children("security_practices", "function", function.id):
                short = practice.get("shortName") or practice.get("name")
                area_id = unique(slug(short), area_ids)
                asked = []
                for stream in self.children("streams", "practice", practice.id):
                    letter = stream.get("letter") or stream.get("name")[:1] or "?"
                    activities = self.children("activities", "stream", stream.id)
                    activities.sort(key=lambda a: (levels.get(a.id, (99, None))[0], a.order()))
                    for activity in activities:
                        if activity.id not in levels:
                            self.not_carried.append(
                                f"{self._name(activity)}: its level '{activity.get('level')}' "
                                "is not a practice level with a maturity level; left out"
                            )
                            continue
                        number, objective = levels[activity.id]
                        base = (
                            f"{(function.get('name') or '?')[:1].upper()}-{short}-{number}-{letter}"
                        )
                        for question in self._asked(activity, questions_of[activity.id]):
                            answers = self._choices(question, answer_sets)
                            if answers is None:
                                continue
                            scale_levels.update(choice["level"] for choice in answers)
                            asked.append(
                                {
                                    "id": unique(base, question_ids),
                                    "dimension": dimension_id,
                                    "area": area_id,
                                    "text": question.get("text") or activity.get("title"),
                                    "help": _help(activity, question, objective, number),
                                    "choices": answers,
                                    "tags": [f"maturity-level-{number}", f"stream-{letter}"],
                                }
                            )
                if not asked:
                    self.not_carried.append(
                        f"{self._name(practice)}: the practice has no activity with a question; "
                        "left out"
                    )
                    continue
                area = {"id": area_id, "name": practice.get("name") or short}
                if practice.get("shortDescription"):
                    area["description"] = practice.get("shortDescription")
                areas.append(area)
                questions += asked
            if not areas:
                self.not_carried.append(
                    f"{self._name(function)}: the business function has no practice with "
                    "questions; left out"
                )
                continue
            dimension: dict[str, Any] = {"id": dimension_id, "name": function.get("name")}
            if function.get("description"):
                dimension["description"] = function.get("description")
            dimension["areas"] = areas
            dimensions.append(dimension)
        if not questions:
            raise UserError.at(
                self.folder, "the model has no activity with a question; is it the SAMM model?"
            )
        model = next((f.get("model") for f in functions if f.get("model")), "")
        questionnaire = {
            "kind": "questionnaire",
            "id": "owasp-samm",
            "version": model or "1",
            "title": "OWASP SAMM",
            "subject": "software security maturity",
            "description": (
                "The OWASP Software Assurance Maturity Model. Each level is coverage in percent: "
                "a practice's SAMM score (0-3) is its mean coverage x 3."
            ),
            "scale": [_scale_level(level) for level in sorted(scale_levels)],
            "dimensions": dimensions,
            "questions": questions,
        }
        header = [
            f"Converted by `mcpscale import samm` from {self.folder}: the OWASP SAMM core model"
            f"{f' ({model})' if model else ''}.",
            "One dimension per business function, one area per security practice, one question "
            "per activity; its stream and maturity level are in its id (D-SA-1-A: Design, Secure "
            "Architecture, level 1, stream A) and in its tags.",
            "Levels are coverage in percent: SAMM's answers 0, 0.25, 0.5 and 1 score 0, 25, 50 "
            "and 100. SAMM's 0-3 score is the mean coverage x 3: an area (a practice) at 50 here "
            "is 1.5 in SAMM, and a dimension (a business function) the same way.",
        ]
        return Conversion(questionnaire, header, self.not_carried)

    def _activity_levels(self) -> dict[str, tuple[int, str]]:
        """Activity id -> (maturity level number, the practice level's objective)."""
        numbers: dict[str, int] = {}
        for level in self.items["maturity_levels"]:
            number = level.data.get("number")
            if isinstance(number, int) and not isinstance(number, bool):
                numbers[level.id] = number
        practice_levels = {
            item.id: (numbers[item.get("maturityLevel")], item.get("objective"))
            for item in self.items["practice_levels"]
            if item.get("maturityLevel") in numbers
        }
        return {
            activity.id: practice_levels[activity.get("level")]
            for activity in self.items["activities"]
            if activity.get("level") in practice_levels
        }

    def _asked(self, activity: _Item, questions: list[_Item]) -> list[_Item]:
        if not questions:
            self.not_carried.append(
                f"{self._name(activity)}: the activity '{activity.get('title')}' has no question "
                "in questions/; not asked"
            )
        return questions

    def _choices(
        self, question: _Item, answer_sets: dict[str, _Item]
    ) -> list[dict[str, Any]] | None:
        answer_set = answer_sets.get(question.get("answerSet"))
        values = answer_set.data.get("values") if answer_set else None
        if answer_set is None or not isinstance(values, list) or len(values) < 2:
            self.not_carried.append(
                f"{self._name(question)}: its answer set '{question.get('answerSet')}' is not in "
                "answer_sets/ (or has fewer than two answers); not asked"
            )
            return None
        choices: list[dict[str, Any]] = []
        taken: set[str] = set()
        ordered = sorted(
            (v for v in values if isinstance(v, dict)),
            key=lambda v: (_number(v.get("order")), _number(v.get("value"))),
        )
        for value in ordered:
            number = value.get("value")
            if not isinstance(number, int | float) or isinstance(number, bool):
                continue
            level = round(number * 100)
            choice_id = unique(_ANSWERS.get(level, (f"p{level}", ""))[0], taken)
            choices.append({"id": choice_id, "label": _answer_text(value), "level": level})
            weight = value.get("weight", 1)
            if weight != 1:
                self.not_carried.append(
                    f"{self._name(answer_set)}: answer '{_answer_text(value)}' has weight "
                    f"{weight}; every answer counts once here"
                )
        return choices if len(choices) >= 2 else None


def _answer_text(value: dict[str, Any]) -> str:
    text = value.get("text")
    if isinstance(text, bool):  # `text: No` is a YAML 1.1 boolean
        return "Yes" if text else "No"
    return _text(text) or f"{value.get('value')}"


def _scale_level(level: int) -> dict[str, Any]:
    name = _ANSWERS[level][1] if level in _ANSWERS else f"{level}% coverage"
    return {
        "level": level,
        "name": name,
        "description": f"{level}% coverage; {level * 3 / 100:g} on SAMM's 0-3 scale.",
    }


def _help(activity: _Item, question: _Item, objective: str, number: int) -> str:
    parts = [f"Activity (level {number}): {activity.get('title')}."]
    if activity.get("shortDescription"):
        parts[0] += f" {activity.get('shortDescription')}"
    if activity.get("benefit"):
        parts.append(f"Benefit: {activity.get('benefit').rstrip('.')}.")
    if objective:
        parts.append(f"Objective at level {number}: {objective}")
    quality = question.data.get("quality")
    if isinstance(quality, list) and quality:
        parts.append("Quality criteria:\n" + "\n".join(f"- {_text(c)}" for c in quality))
    return "\n\n".join(parts)


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _text(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()
