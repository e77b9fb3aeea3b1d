"""Answers moved along a pack's migrations, and which questions compare across versions.

Pure: answers in, answers out, with every answer that could not carry over returned beside
them (question, why, what to answer instead), never dropped silently. Rules, as the README
documents them:

- a question no step names carries over with its id and choice ids;
- `renamed` moves an answer to the new id; `choices` (keyed by the old id) remaps its choice
  ids, unlisted choices keep theirs;
- `split` copies an answer to each new question through that part's choice map; an old choice
  the map leaves out does not carry over to that part;
- `merged` answers one new question from several old ones: the old choices joined by ', '
  (in `from` order) are looked up in the merge's choice map, '*' matching any choice; when every
  old answer is the same 'unknown' or 'na', the merged answer is that. Notes are joined (each
  under its old id), evidence is pooled, the lowest confidence is kept; earlier workshop rounds
  were votes on the separate questions and are not kept;
- `dropped` answers do not carry over: their reason, choice and note are listed;
- 'unknown' and 'na' pass through every choice map unless the map names them.
Notes, evidence, confidence, consensus and rounds stay with an answer that carries over.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from mcpscale.formats.answers import Answer, Choosing, choice_text
from mcpscale.formats.migration import WILDCARD, Merge, Migration, choice_pair
from mcpscale.formats.questionnaire import (
    NOT_APPLICABLE,
    RESERVED_CHOICE_IDS,
    UNKNOWN,
    Question,
    Questionnaire,
)

_CONFIDENCE_ORDER = ("low", "medium", "high")


class NotCarried(NamedTuple):
    """An answer that could not move to the new version, kept here for the respondent."""

    question: str  # the question id in the answers file
    answer: Answer
    why: str
    instead: tuple[str, ...]  # the new questions to answer in its place


@dataclass(frozen=True)
class Migrated:
    start: str
    end: str
    answers: dict[str, Answer]  # new question id -> answer, in the file's order
    origins: dict[str, tuple[str, ...]]  # new question id -> the ids in the file it came from
    changes: tuple[str, ...]  # what moved, one line each
    not_carried: tuple[NotCarried, ...]
    to_answer: tuple[str, ...]  # questions new along the way that have no answer yet


class _Item(NamedTuple):
    id: str
    answer: Answer
    origins: tuple[str, ...]


def migrate_answers(
    answers: Mapping[str, Answer],
    steps: Sequence[Migration],
    start: str,
    target: Questionnaire | None = None,
) -> Migrated:
    """Apply `steps` in order; with `target`, also check every answer fits its question there."""
    items = [_Item(qid, answer, (qid,)) for qid, answer in answers.items()]
    changes: list[str] = []
    lost: list[NotCarried] = []
    added: list[str] = []
    end = start
    for step in steps:
        items = _step(items, step, changes, lost)
        added = [qid for qid in added if qid not in _claimed(step)] + list(step.added)
        end = step.to
    if target is not None:
        items = _fitting(items, target, lost)
    answered = {item.id for item in items}
    to_answer = [qid for qid in dict.fromkeys(added) if qid not in answered]
    if target is not None:
        to_answer = [qid for qid in to_answer if target.question(qid) is not None]
    return Migrated(
        start=start,
        end=end,
        answers={item.id: item.answer for item in items},
        origins={item.id: item.origins for item in items},
        changes=tuple(changes),
        not_carried=tuple(lost),
        to_answer=tuple(to_answer),
    )


def carried_id(question_id: str, steps: Sequence[Migration]) -> str | None:
    """The id a question has after `steps` when it carries over one to one (kept, or renamed,
    choices perhaps remapped); None when it was split, merged or dropped: not comparable."""
    for step in steps:
        if question_id in _reshaped(step):
            return None
        question_id = step.renamed.get(question_id, question_id)
    return question_id


def _reshaped(step: Migration) -> set[str]:
    """Old ids a step splits, merges or drops."""
    merged = {old for merge in step.merged for old in merge.from_}
    return set(step.split) | merged | set(step.dropped)


def _claimed(step: Migration) -> set[str]:
    """Old ids a step moves away from their id."""
    return _reshaped(step) | set(step.renamed)


def _step(
    items: list[_Item], step: Migration, changes: list[str], lost: list[NotCarried]
) -> list[_Item]:
    merges = {old: merge for merge in step.merged for old in merge.from_}
    by_id = {item.id: item for item in items}
    out: dict[str, _Item] = {}
    done_merges: set[str] = set()

    def put(item: _Item, source: _Item) -> None:
        if item.id in out:
            first = ", ".join(out[item.id].origins)
            lost.append(
                NotCarried(
                    source.id,
                    source.answer,
                    f"{item.id} already holds the answer carried over from {first}",
                    (),
                )
            )
            return
        out[item.id] = item

    for item in items:
        qid = item.id
        if qid in step.dropped:
            lost.append(
                NotCarried(qid, item.answer, f"dropped in {step.to}: {step.dropped[qid]}", ())
            )
        elif qid in step.split:
            parts = step.split[qid]
            changes.append(f"split {qid} into {', '.join(part.id for part in parts)}")
            for part in parts:
                mapped = _map_answer(item.answer, part.choices, keep_unlisted=False)
                if isinstance(mapped, str):
                    why = f"split in {step.to}; {mapped} in {part.id}"
                    lost.append(NotCarried(qid, item.answer, why, (part.id,)))
                else:
                    put(_Item(part.id, mapped, item.origins), item)
        elif qid in merges:
            merge = merges[qid]
            if merge.to in done_merges:
                continue
            done_merges.add(merge.to)
            _merge_into(merge, by_id, step.to, put, changes, lost)
        else:
            new_id = step.renamed.get(qid, qid)
            if new_id != qid:
                changes.append(f"renamed {qid} -> {new_id}")
            mapped = _map_answer(item.answer, step.choices.get(qid), keep_unlisted=True)
            if isinstance(mapped, str):
                why = f"{mapped} in {step.to}"
                lost.append(NotCarried(qid, item.answer, why, (new_id,)))
                continue
            if mapped.choice != item.answer.choice:
                changes.append(
                    f"{new_id}: choice {choice_text(item.answer.choice)} -> "
                    f"{choice_text(mapped.choice)}"
                )
            put(_Item(new_id, mapped, item.origins), item)
    return list(out.values())


def _merge_into(
    merge: Merge,
    by_id: Mapping[str, _Item],
    version: str,
    put: Callable[[_Item, _Item], None],
    changes: list[str],
    lost: list[NotCarried],
) -> None:
    sources = [by_id.get(old) for old in merge.from_]
    present = [item for item in sources if item is not None]
    joined = " + ".join(merge.from_)
    missing = [old for old, item in zip(merge.from_, sources, strict=True) if item is None]
    if missing:
        why = (
            f"merged with {', '.join(missing)} into {merge.to} in {version}, and "
            f"{', '.join(missing)} has no answer here"
        )
        lost.extend(NotCarried(item.id, item.answer, why, (merge.to,)) for item in present)
        return
    merged = _merged_answer([item.answer for item in present], merge)
    if isinstance(merged, str):
        why = f"merged into {merge.to} in {version}; {merged}"
        lost.extend(NotCarried(item.id, item.answer, why, (merge.to,)) for item in present)
        return
    changes.append(f"merged {joined} into {merge.to}")
    if any(item.answer.rounds for item in present):
        changes.append(
            f"{merge.to}: earlier workshop rounds on {joined} not kept (they were votes on "
            "the separate questions)"
        )
    consensus = [item.answer.consensus for item in present]
    if any(c is not None for c in consensus) and merged.consensus is None:
        changes.append(f"{merge.to}: the room's consensus on {joined} does not merge; not kept")
    origins = tuple(origin for item in present for origin in item.origins)
    put(_Item(merge.to, merged, origins), present[0])


def _map_choosing(
    choosing: Choosing, choice_map: Mapping[str, str] | None, keep_unlisted: bool
) -> Choosing | None:
    """A choice (or a multi-select's selection) through a choice map; None when one is unmapped."""
    if choice_map is None:
        return choosing

    def one(choice: str) -> str | None:
        if choice in choice_map:
            return choice_map[choice]
        if keep_unlisted or choice in RESERVED_CHOICE_IDS:
            return choice
        return None

    if isinstance(choosing, str):
        return one(choosing)
    mapped = [one(choice) for choice in choosing]
    if any(choice is None for choice in mapped):
        return None
    return list(dict.fromkeys(c for c in mapped if c is not None))


def _map_answer(
    answer: Answer, choice_map: Mapping[str, str] | None, keep_unlisted: bool
) -> Answer | str:
    """The answer with its choice, consensus and round votes mapped, or why it cannot be."""
    choice = _map_choosing(answer.choice, choice_map, keep_unlisted)
    if choice is None:
        return f"choice {choice_text(answer.choice)} has no counterpart"
    consensus = None
    if answer.consensus is not None:
        consensus = _map_choosing(answer.consensus, choice_map, keep_unlisted)
        if consensus is None:
            return f"the room's consensus {choice_text(answer.consensus)} has no counterpart"
    rounds: list[dict[str, Choosing]] = []
    for number, votes in enumerate(answer.rounds, start=1):
        mapped_votes: dict[str, Choosing] = {}
        for name, vote in votes.items():
            mapped = _map_choosing(vote, choice_map, keep_unlisted)
            if mapped is None:
                return f"{name}'s vote {choice_text(vote)} in round {number} has no counterpart"
            mapped_votes[name] = mapped
        rounds.append(mapped_votes)
    return answer.model_copy(update={"choice": choice, "consensus": consensus, "rounds": rounds})


def _merge_choice(choices: Sequence[Choosing | None], merge: Merge) -> str | None:
    if any(not isinstance(choice, str) for choice in choices):
        return None  # a multi-select's selection has no place in a pair
    texts = [str(choice) for choice in choices]
    if len(set(texts)) == 1 and texts[0] in RESERVED_CHOICE_IDS:
        return texts[0]
    for key, new in merge.choices.items():
        pattern = choice_pair(key)
        if all(p in (WILDCARD, c) for p, c in zip(pattern, texts, strict=True)):
            return new
    return None


def _merged_answer(answers: Sequence[Answer], merge: Merge) -> Answer | str:
    choice = _merge_choice([a.choice for a in answers], merge)
    if choice is None:
        pair = ", ".join(choice_text(a.choice) for a in answers)
        return f"the merge has no choice for the pair '{pair}'"
    consensus = None
    if all(a.consensus is not None for a in answers):
        consensus = _merge_choice([a.consensus for a in answers], merge)
    notes = [(old, a.note) for old, a in zip(merge.from_, answers, strict=True) if a.note]
    note = notes[0][1] if len(notes) == 1 else "\n".join(f"{old}: {n}" for old, n in notes)
    confidences = [a.confidence for a in answers if a.confidence is not None]
    return Answer(
        choice=choice,
        reason=next((a.reason for a in answers if a.reason), None),
        confidence=min(confidences, key=_CONFIDENCE_ORDER.index) if confidences else None,
        note=note or None,
        evidence=list(dict.fromkeys(link for a in answers for link in a.evidence)),
        consensus=consensus,
    )


def _fitting(items: list[_Item], target: Questionnaire, lost: list[NotCarried]) -> list[_Item]:
    """The items whose question exists in `target` and whose choices it offers."""
    kept: list[_Item] = []
    for item in items:
        question = target.question(item.id)
        where = ", ".join(item.origins)
        if question is None:
            why = (
                f"version {target.version} has no question {item.id}, and the migrations do "
                "not say where it went"
            )
            lost.append(NotCarried(where, item.answer, why, ()))
            continue
        answer = item.answer
        votes = [vote for votes in answer.rounds for vote in votes.values()]
        wrong = next(
            (
                c
                for c in [answer.choice, answer.consensus, *votes]
                if c is not None and not _offers(question, c)
            ),
            None,
        )
        if wrong is not None:
            why = f"{item.id} in version {target.version} has no choice {choice_text(wrong)}"
            lost.append(NotCarried(where, answer, why, (item.id,)))
            continue
        kept.append(item)
    return kept


def _offers(question: Question, choosing: Choosing) -> bool:
    if isinstance(choosing, list):
        return question.multi and question.selection_problem(choosing) is None
    if choosing == UNKNOWN or (choosing == NOT_APPLICABLE and question.allow_na):
        return True
    return not question.multi and question.choice(choosing) is not None
