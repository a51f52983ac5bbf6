"""Scoring from small hand-made selections and responses: points, flowchart, clause compliance, completeness."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tenderkit.library.models import Clause, Deliverable, Part, Question, Section
from tenderkit.parse.response import Answer, Response
from tenderkit.parse.response import Deliverable as Provided
from tenderkit.review.model import CONFORME, NON_CONFORME, NON_RENSEIGNE, PARTIEL, GridEdits
from tenderkit.review.scoring import review_responses
from tenderkit.tender.selection import Selection
from tenderkit.tender.workspace import Tender


def question(qid: str, answer_type: str = "yes_no", expected: str | None = "oui", part: int = 1,
             show_if: tuple[str, str] | None = None, required: bool = True) -> Question:
    return Question(id=qid, text=f"Question {qid} ?", answer_type=answer_type, expected=expected, part=part,
                    section="Section", section_id="s", required=required,
                    show_if={"question": show_if[0], "equals": show_if[1]} if show_if else None)


def selection(questions: list[Question], clauses: list[Clause] = (), deliverables: list[str] = (),
              completeness_weight: float = 0.0) -> Selection:
    """A Selection whose computed views are set by hand (no library needed)."""
    tender = Tender(reference="T-1", title="Essai", buyer={"name": "CH d’Essai"},
                    weights={"parts": {1: 1, 2: 1}, "completeness": completeness_weight})
    library = SimpleNamespace(deliverables={d: Deliverable(id=d, title=d.title()) for d in deliverables})
    chosen = Selection(tender=tender, library=library, facts={})
    by_id = {q.id: q for q in questions}
    clauses_of: dict[str, list[Clause]] = {}
    for clause in clauses:
        for qid in clause.questions:
            clauses_of.setdefault(qid, []).append(clause)
    parts = sorted({q.part for q in questions})
    chosen.__dict__.update(
        questions=by_id, clauses=list(clauses), clauses_of=clauses_of,
        numbers={q.id: f"{q.part}.1.{n}" for n, q in enumerate(questions, start=1)},
        parts=[Part(part=p, title=f"Partie {p}", sheet=f"P{p}",
                    sections=[Section(id="s", title="Section", questions=[{"id": "x", "text": "x",
                                                                             "answer_type": "text"}])])
               for p in parts],
        deliverables=[(library.deliverables[d], ["clause"]) for d in deliverables])
    return chosen


def response(vendor: str, answers: dict[str, str | None], provided: dict[str, bool] | None = None,
             attached: bool = True) -> Response:
    """Answers by value (``None``: left empty; ``"?"``: present but unreadable); documents declared provided are
    attached to the offer unless ``attached`` is false (a lone questionnaire)."""
    parsed = {}
    for qid, value in answers.items():
        if value is None:
            parsed[qid] = Answer(status="empty")
        elif value == "?":
            parsed[qid] = Answer(status="invalid", raw="peut-être")
        else:
            parsed[qid] = Answer(value=value, raw=value, status="answered")
    return Response(file=f"{vendor}.xlsx", vendor=vendor, answers=parsed,
                    deliverables={d: Provided(provided=p, attachment=f"{d}.pdf" if p and attached else None)
                                  for d, p in (provided or {}).items()})


def clause(questions: list[str], deliverables: list[str] = ()) -> Clause:
    return Clause(id="c", theme="t", title="Clause", text=["Texte."], questions=questions,
                  deliverables=list(deliverables))


def status(questions, answers, deliverables=(), provided=None) -> str:
    chosen = selection(questions, [clause([q.id for q in questions], deliverables)], deliverables)
    review = review_responses(chosen, [response("V", answers, provided)])
    return review.vendors[0].clauses[0].status


# --- clause compliance -------------------------------------------------------------------------------------

def test_clause_all_favourable_is_conforme():
    assert status([question("a"), question("b")], {"a": "oui", "b": "oui"}) == CONFORME


def test_clause_one_partial_answer_is_partiellement_conforme():
    assert status([question("a"), question("b")], {"a": "oui", "b": "partiel"}) == PARTIEL


def test_clause_one_unanswered_item_among_answered_is_partiel():
    assert status([question("a"), question("b")], {"a": "oui", "b": None}) == PARTIEL


def test_clause_unfavourable_answer_is_non_conforme():
    assert status([question("a"), question("b")], {"a": "oui", "b": "non"}) == NON_CONFORME


def test_clause_without_any_answer_is_non_renseigne():
    assert status([question("a"), question("b")], {"a": None, "b": None}) == NON_RENSEIGNE


def test_clause_without_answers_and_missing_document_is_non_renseigne():
    assert status([question("a")], {"a": None}, ["flux"], {"flux": False}) == NON_RENSEIGNE


def test_clause_without_evaluated_question_nor_document_is_non_renseigne():
    assert status([question("a", "text", expected=None)], {"a": "texte"}) == NON_RENSEIGNE


def test_clause_favourable_but_document_missing_is_partiel():
    assert status([question("a")], {"a": "oui"}, ["flux"], {"flux": False}) == PARTIEL
    assert status([question("a")], {"a": "oui"}, ["flux"], {"flux": True}) == CONFORME


def test_clause_detail_names_questions_by_number_and_agrees():
    chosen = selection([question("a"), question("b")], [clause(["a", "b"])])
    vendor = review_responses(chosen, [response("V", {"a": "non", "b": "non"})]).vendors[0]
    assert vendor.clauses[0].detail == "réponses défavorables : 1.1.1, 1.1.2"


# --- points and flowchart ---------------------------------------------------------------------------------

def test_points_favourable_partial_unfavourable_missing():
    questions = [question("a"), question("b"), question("c"), question("d"), question("e", expected="non")]
    vendor = review_responses(selection(questions), [response("V", {"a": "oui", "b": "partiel", "c": "non",
                                                                      "d": None, "e": "non"})]).vendors[0]
    assert [vendor.items[q].points for q in "abcde"] == [1, 0.5, 0, 0, 1]
    assert vendor.parts[1] == pytest.approx(100 * 2.5 / 5)


def test_qualified_oui_opens_the_follow_up_questions():
    questions = [question("parent", expected=None), question("child", show_if=("parent", "oui"))]
    chosen = selection(questions)
    for value, opened in (("oui", True), ("partiel", True), ("non", False), (None, False)):
        vendor = review_responses(chosen, [response("V", {"parent": value, "child": "oui"})]).vendors[0]
        assert vendor.items["child"].applicable is opened, value
        assert vendor.items["child"].scored is opened


def test_sans_objet_leaves_the_score_only_where_offered():
    questions = [question("a", "yes_no_na"), question("b", "yes_no"), question("c")]
    vendor = review_responses(selection(questions), [response("V", {"a": "na", "b": "na", "c": "oui"})]).vendors[0]
    assert not vendor.items["a"].scored and vendor.items["a"].issue is None
    assert vendor.items["b"].scored and vendor.items["b"].points == 0 and vendor.items["b"].issue == "na-not-offered"
    assert vendor.parts[1] == 50


# --- completeness and ranking -----------------------------------------------------------------------------

def test_complete_offer_outranks_an_equal_one_without_documents_or_texts():
    questions = [question("a"), question("b"), question("nom", "text", expected=None)]
    chosen = selection(questions, [clause(["a", "b"], ["flux", "schema"])], ["flux", "schema"], completeness_weight=1)
    complete = response("Complet", {"a": "oui", "b": "oui", "nom": "Échographe X"}, {"flux": True, "schema": True})
    bare = response("Sans pièces", {"a": "oui", "b": "oui", "nom": None}, {"flux": False, "schema": False})
    review = review_responses(chosen, [bare, complete])
    first, second = review.vendors
    # the bare offer is incomplete, hence irregular (L. 2152-2): not ranked, but its scores are still computed
    assert first.vendor == "Complet" and first.rank == 1 and first.regularity == "regular"
    assert second.rank is None and second.regularity == "irregular"
    assert [(i.kind, i.number) for i in second.irregularities] == [
        ("missing_document", "pièce 1"), ("missing_document", "pièce 2"), ("unanswered_descriptive", "1.1.3")]
    assert first.conformity == second.conformity == 100  # the yes/no answers alone cannot tell them apart
    assert first.completeness == 100
    # answers: 2 of 3 required (the text is missing); documents: 0 of 2 → mean of 66,67 % and 0 %
    assert (second.answers_given, second.answers_due, second.documents_given, second.documents_due) == (2, 3, 0, 2)
    assert second.completeness == pytest.approx(100 * (2 / 3 + 0) / 2, abs=0.01)
    assert second.total == pytest.approx((100 * 1 + second.completeness * 1) / 2, abs=0.01)


def test_completeness_weight_zero_leaves_the_ranking_to_conformity():
    questions = [question("a"), question("nom", "text", expected=None)]
    chosen = selection(questions, completeness_weight=0)
    chosen.tender.letters.regularisation = True   # A may supply its descriptive answer: ranked provisionally
    review = review_responses(chosen, [response("A", {"a": "oui", "nom": None}), response("B", {"a": "oui",
                                                                                             "nom": "x"})])
    assert [v.rank for v in review.vendors] == [1, 1] and review.vendors[0].total == 100
    assert [v.regularity for v in review.vendors] == ["to_regularise", "regular"]


def test_completeness_counts_only_applicable_required_questions():
    questions = [question("parent", expected=None), question("child", "text", expected=None,
                                                             show_if=("parent", "oui")),
                 question("optional", "text", expected=None, required=False)]
    vendor = review_responses(selection(questions), [response("V", {"parent": "non", "child": None,
                                                                      "optional": None})]).vendors[0]
    assert (vendor.answers_given, vendor.answers_due) == (1, 1) and vendor.completeness == 100
    vendor = review_responses(selection(questions), [response("V", {"parent": "oui", "child": "?",
                                                                      "optional": None})]).vendors[0]
    assert (vendor.answers_given, vendor.answers_due) == (1, 2) and vendor.completeness == 50


def test_grid_edits_replace_weights_and_points():
    questions = [question("a"), question("b"), question("c", part=2)]
    chosen = selection(questions)
    answers = response("V", {"a": "oui", "b": "non", "c": "oui"})
    edits = GridEdits(source="grid.xlsx", part_weights={1: 3, 2: 1}, item_weights={"a": 2},
                      points={("V", "b"): 0.5, ("Other", "a"): 0})
    vendor = review_responses(chosen, [answers], edits=edits).vendors[0]
    assert vendor.items["b"].points == 0.5 and vendor.items["a"].points == 1
    part1 = 100 * (1 * 2 + 0.5 * 1) / (2 + 1)
    assert vendor.parts[1] == pytest.approx(part1, abs=0.01)
    # items weigh item weight × part weight: a 2 × 3, b 1 × 3, c 1 × 1
    assert vendor.conformity == pytest.approx(100 * (1 * 6 + 0.5 * 3 + 1 * 1) / (6 + 3 + 1), abs=0.01)
    assert vendor.total == vendor.conformity   # completeness weighs 0 here


def result(questions, answers, deliverables=(), provided=None):
    chosen = selection(questions, [clause([q.id for q in questions], deliverables)], deliverables)
    found = review_responses(chosen, [response("V", answers, provided)]).vendors[0].clauses[0]
    return found.clause_id, found.title, found.status, found.detail


def test_clause_results_say_why():
    a, b = question("a"), question("b")
    assert result([a, b], {"a": "oui", "b": "oui"}, ["flux"], {"flux": True}) == (
        "c", "Clause", CONFORME, "réponses favorables, pièces fournies")
    assert result([a], {"a": "oui"}) == ("c", "Clause", CONFORME, "réponses favorables")
    assert result([a, b], {"a": "partiel", "b": "?"}, ["flux", "schema"], {"flux": False}) == (
        "c", "Clause", PARTIEL, "1 question sans réponse exploitable, réponse partielle, 2 pièces manquantes")
    assert result([a, b], {"a": None, "b": None}) == ("c", "Clause", NON_RENSEIGNE, "questions sans réponse")
    assert result([question("t", "text", expected=None)], {"t": "x"}) == (
        "c", "Clause", NON_RENSEIGNE, "aucune question évaluée ne s’y rapporte")
    assert result([a, b], {"a": "non", "b": None}) == ("c", "Clause", NON_CONFORME, "réponse défavorable : 1.1.1")


def test_a_closed_branch_stays_closed_below():
    """A grandchild is not applicable when its parent is not, even if the parent was answered « oui »."""
    questions = [question("root", expected=None), question("mid", expected=None, show_if=("root", "oui")),
                 question("leaf", show_if=("mid", "oui"))]
    vendor = review_responses(selection(questions), [response("V", {"root": "non", "mid": "oui",
                                                                      "leaf": "oui"})]).vendors[0]
    assert not vendor.items["mid"].applicable and not vendor.items["leaf"].applicable


def test_nothing_asked_is_complete():
    questions = [question("opt", "text", expected=None, required=False)]
    vendor = review_responses(selection(questions), [response("V", {"opt": None})]).vendors[0]
    assert vendor.completeness == 100 and (vendor.answers_due, vendor.documents_due) == (0, 0)
    questions = [question("a"), question("b"), question("c")]
    vendor = review_responses(selection(questions, deliverables=["flux", "schema", "plan"]),
                              [response("V", {"a": "oui", "b": None, "c": None}, {"flux": True})]).vendors[0]
    assert vendor.completeness == pytest.approx(100 / 3, abs=0.005)  # (1/3 + 1/3) / 2, rounded to 2 decimals


def test_item_weights_take_the_largest_clause_multiplier_and_overrides():
    questions = [question("a"), question("b"), question("c")]
    chosen = selection(questions, [Clause(id="x", theme="t", title="X", text=["T."], questions=["a", "b"]),
                                   Clause(id="y", theme="t", title="Y", text=["T."], questions=["a"])])
    chosen.tender.weights.clauses.update({"x": 2, "y": 3})
    chosen.tender.weights.questions.update({"b": 5})
    review = review_responses(chosen, [response("V", {"a": "oui", "b": "non", "c": "oui"})])
    assert review.item_weights == {"a": 3, "b": 10, "c": 1}
    assert review.vendors[0].parts[1] == pytest.approx(100 * (3 + 1) / 14, abs=0.01)


def test_flags_on_unfavourable_or_partial_sensitive_answers_only():
    flagged = [question(q).model_copy(update={"flag": True, "flag_reason": f"risque {q}"}) for q in "abcd"]
    chosen = selection(flagged, [Clause(id="x", theme="t", title="X", text=["T."], questions=["a", "b"],
                                        references={"ansm": ["R9", "R2"], "enisa": ["BP3"]})])
    vendor = review_responses(chosen, [response("V", {"a": "non", "b": "partiel", "c": "oui", "d": None})]).vendors[0]
    assert [(f.question_id, f.reason) for f in vendor.flags] == [("a", "risque a"),
                                                                 ("b", "risque b (réponse partielle)")]
    first = vendor.flags[0]
    assert first.ansm == ["R2", "R9"] and first.enisa == ["BP3"] and first.clauses == ["X"]
    assert vendor.flags[0].answer == "non"


def test_a_document_asked_only_by_a_closed_branch_is_not_owed():
    gate, proof = question("abroad", expected="non"), question("proof", show_if=("abroad", "oui"))
    proof = proof.model_copy(update={"deliverable": "preuve"})
    chosen = selection([gate, proof], deliverables=["preuve"])
    chosen.__dict__["deliverables"] = [(chosen.library.deliverables["preuve"], ["Question 1.1.2"])]
    review = review_responses(chosen, [response("Home", {"abroad": "non"}), response("Away", {"abroad": "oui",
                                                                                            "proof": "oui"})])
    home, away = (next(v for v in review.vendors if v.vendor == name) for name in ("Home", "Away"))
    assert home.missing_deliverables == [] and home.documents_due == 0 and home.completeness == 100
    assert away.missing_deliverables == ["preuve"] and away.documents_due == 1 and away.completeness == 50


def test_a_document_a_clause_asks_for_is_owed_whatever_the_answers():
    gate, proof = question("abroad", expected="non"), question("proof", show_if=("abroad", "oui"))
    proof = proof.model_copy(update={"deliverable": "preuve"})
    chosen = selection([gate, proof], [clause(["abroad"], ["preuve"])], deliverables=["preuve"])
    home = review_responses(chosen, [response("Home", {"abroad": "non"})]).vendors[0]
    assert home.missing_deliverables == ["preuve"] and home.documents_due == 1


# --- precision, ranks and order (issue 10 audit) -------------------------------------------------------------



def test_scores_keep_full_precision_and_are_shown_rounded_once_half_up():
    from tenderkit.cli.review import vendor_record
    from tenderkit.text import french_number

    # answers 2 of 3 and documents 1 of 2: completeness (2/3 + 1/2) / 2 = 58,333…
    questions = [question("a"), question("b"), question("c")]
    chosen = selection(questions, [clause(["a"], ["flux", "schema"])], deliverables=["flux", "schema"])
    vendor = review_responses(chosen, [response("V", {"a": "oui", "b": "oui", "c": None},
                                                {"flux": True})]).vendors[0]
    assert vendor.completeness == pytest.approx(100 * (2 / 3 + 1 / 2) / 2, abs=1e-9)   # not 58.33
    assert french_number(vendor.completeness) == "58,3"
    # 74.552 was rounded to 74.55 by scoring, then to « 74,5 » (half even) by the console: now 74,6 everywhere
    assert french_number(74.552) == "74,6" and french_number(67.252) == "67,3" and french_number(62.25) == "62,3"
    assert french_number(62.5, 0) == "63" and french_number(100.0) == "100" and french_number(-0.04) == "0"
    record = vendor_record(vendor, SimpleNamespace(deliverables=chosen.library.deliverables))
    assert record["completeness"] == 58.3 and record["total"] == 66.7   # one decimal, as every document shows


def test_same_total_as_shown_means_same_rank():
    from tenderkit.review.model import VendorReview
    from tenderkit.review.scoring import rank

    vendors = [VendorReview(vendor=name, response=None, total=total)
               for name, total in (("A", 99.94), ("B", 99.86), ("C", 99.9), ("D", 99.84), ("E", 100 - 1e-12))]
    rank(vendors)
    assert [v.rank for v in vendors] == [2, 2, 2, 5, 1]   # 99,9 ×3 share the rank after 100; 99,8 comes fifth


def test_tied_vendors_in_french_alphabetical_order():
    questions = [question("a")]
    names = ["ultrasons Est", "Échographie Sud", "Zeta", "Œil Vision", "alpha"]
    review = review_responses(selection(questions), [response(n, {"a": "oui"}) for n in names])
    assert [v.vendor for v in review.vendors] == ["alpha", "Échographie Sud", "Œil Vision", "ultrasons Est", "Zeta"]
    assert {v.rank for v in review.vendors} == {1}


# --- mutants of review/scoring.py that survived (scripts/review_mutants.py) ---------------------------------

def altered_answer(value: str, status: str = "answered") -> Answer:
    return Answer(value=value if status == "answered" else None, raw=value, status=status,
                  altered="Le fournisseur ne garantit pas…")


def test_an_altered_question_answered_is_not_scored_but_flagged_for_the_committee():
    questions = [question("a"), question("b")]
    answers = response("V", {"b": "oui"})
    answers.answers["a"] = altered_answer("oui")
    vendor = review_responses(selection(questions), [answers]).vendors[0]
    item = vendor.items["a"]
    assert item.issue == "altered" and item.scored is False and item.max_points == 0 and item.points == 0
    assert vendor.parts[1] == 100   # only b counts
    # an altered wording left unanswered is an unanswered question, scored 0, not « altered »
    answers.answers["a"] = altered_answer("", status="empty")
    vendor = review_responses(selection(questions), [answers]).vendors[0]
    assert vendor.items["a"].issue == "unanswered" and vendor.items["a"].scored and vendor.parts[1] == 50


def test_an_unexpected_oui_to_a_question_expecting_non_is_flagged():
    abroad = question("p4-hors-territoire", expected="non").model_copy(
        update={"flag": True, "flag_reason": "Données hébergées hors de l’UE"})
    chosen = selection([abroad])
    vendor = review_responses(chosen, [response("V", {"p4-hors-territoire": "oui"})]).vendors[0]
    assert [(f.question_id, f.value, f.reason) for f in vendor.flags] == [
        ("p4-hors-territoire", "oui", "Données hébergées hors de l’UE")]
    assert vendor.items["p4-hors-territoire"].points == 0
    vendor = review_responses(chosen, [response("V", {"p4-hors-territoire": "non"})]).vendors[0]
    assert vendor.flags == [] and vendor.items["p4-hors-territoire"].points == 1
    vendor = review_responses(chosen, [response("V", {"p4-hors-territoire": None})]).vendors[0]
    assert vendor.flags == []   # unanswered: asked again, not flagged


def test_a_part_with_no_scored_item_has_no_score_and_leaves_the_means():
    questions = [question("a"), question("gate", expected=None, part=2),
                 question("b", part=2, show_if=("gate", "oui"))]
    chosen = selection(questions)
    vendor = review_responses(chosen, [response("V", {"a": "oui", "gate": "non"})]).vendors[0]
    assert vendor.parts == {1: 100, 2: None}
    assert vendor.conformity == 100 and vendor.total == 100   # not (100 + 0) / 2
    vendor = review_responses(chosen, [response("V", {"a": "oui", "gate": "oui", "b": "non"})]).vendors[0]
    assert vendor.parts == {1: 100, 2: 0} and vendor.conformity == 50


def test_nothing_weighs_gives_zero():
    from tenderkit.review.scoring import total_score

    assert total_score(50, 80, {1: 0}, 0) == 0 and total_score(50, 80, {}, 0) == 0
    assert total_score(50, 80, {1: 0}, 1) == 80 and total_score(50, 80, {1: 1}, 0) == 50
    assert total_score(50, 80, {1: 1, 2: 2}, 1) == pytest.approx((50 * 3 + 80) / 4)


def test_a_part_missing_from_weights_parts_weighs_one():
    questions = [question("a"), question("b", part=2), question("c", part=3)]
    chosen = selection(questions)   # weights.parts names parts 1 and 2 only
    chosen.tender.weights.parts.update({1: 3.0})
    review = review_responses(chosen, [response("V", {"a": "oui", "b": "non", "c": "non"})])
    assert review.part_weights == {1: 3.0, 2: 1.0, 3: 1.0}
    assert review.vendors[0].conformity == pytest.approx(100 * 3 / 5)


def test_clause_details_count_exactly_what_is_missing_or_partial():
    a, b = question("a"), question("b")
    # one unanswered among answered: unusable, not « partial » (0 points without an answer is not partial)
    assert result([a, b], {"a": "oui", "b": None}) == ("c", "Clause", PARTIEL, "1 question sans réponse exploitable")
    # every item answered favourably, a document missing: only the document
    assert result([a, b], {"a": "oui", "b": "oui"}, ["flux"], {"flux": False}) == (
        "c", "Clause", PARTIEL, "1 pièce manquante")
    # a partial answer, everything else answered: only « réponse partielle »
    assert result([a, b], {"a": "partiel", "b": "oui"}) == ("c", "Clause", PARTIEL, "réponse partielle")


def test_returns_naming_the_same_vendor_each_name_the_other():
    chosen = selection([question("a")])
    first = response("Acme", {"a": "oui"})
    second = response("ACME", {"a": "non"})
    second.file = "Acme-bis.xlsx"
    review = review_responses(chosen, [first, second])
    conflicts = {v.vendor: v.conflicts for v in review.vendors}
    assert conflicts == {"Acme (Acme.xlsx)": ["Acme-bis.xlsx"], "ACME (Acme-bis.xlsx)": ["Acme.xlsx"]}
    single = review_responses(chosen, [first]).vendors[0]
    assert single.vendor == "Acme" and single.conflicts == []


def test_the_review_is_dated_today_unless_told():
    import datetime as dt

    chosen = selection([question("a")])
    assert review_responses(chosen, [response("V", {"a": "oui"})]).date == dt.date.today()
    day = dt.date(2026, 12, 1)
    assert review_responses(chosen, [response("V", {"a": "oui"})], today=day).date == day


def test_completeness_leaves_out_an_empty_share_and_weighs_as_told():
    questions = [question("a"), question("b", part=2)]
    chosen = selection(questions, completeness_weight=2)
    vendor = review_responses(chosen, [response("V", {"a": "oui", "b": None})]).vendors[0]
    # no document asked: completeness is the answers' share alone (1 of 2), not a mean with an empty share
    assert vendor.completeness == 50
    assert vendor.total == pytest.approx((100 * 1 + 0 * 1 + 50 * 2) / 4)


def test_a_child_whose_parent_is_not_selected_stays_closed():
    chosen = selection([question("child", show_if=("absent", "oui"))])
    vendor = review_responses(chosen, [response("V", {"absent": "oui", "child": "oui"})]).vendors[0]
    assert vendor.items["child"].applicable is False and vendor.items["child"].scored is False


# --- the method honours the weights; regularity before ranking (issue 18) -----------------------------------

def test_a_non_to_an_item_weighted_three_costs_at_least_a_non_to_an_unweighted_item():
    """Parts are many or few items: a part-2 item alone in its part must not outweigh the item the buyer
    weighted × 3 in a crowded part 1 (a mean of part scores would neutralise the published weighting)."""
    questions = [question(f"a{n}") for n in range(10)] + [question("b", part=2), question("c", part=2)]
    chosen = selection(questions)
    chosen.tender.weights.questions.update({"a0": 3.0})
    all_yes = {q.id: "oui" for q in questions}
    weighted_no = review_responses(chosen, [response("V", {**all_yes, "a0": "non"})]).vendors[0]
    plain_no = review_responses(chosen, [response("V", {**all_yes, "b": "non"})]).vendors[0]
    assert weighted_no.total < plain_no.total
    assert 100 - weighted_no.total == pytest.approx(3 * (100 - plain_no.total))


def test_refusing_a_minimum_requirement_makes_the_offer_irregular_with_the_clause_named():
    questions = [question("a"), question("b")]
    minimum = Clause(id="mini", theme="t", title="Chiffrement des flux", text=["Texte."], questions=["a"])
    chosen = selection(questions, [minimum])
    chosen.tender.clauses.minimum.append("mini")
    chosen.tender.letters.regularisation = True   # a refusal cannot be regularised
    review = review_responses(chosen, [response("Refus", {"a": "non", "b": "oui"}),
                                       response("Accord", {"a": "oui", "b": "non"})])
    accord, refus = review.vendors
    assert (accord.vendor, accord.rank, accord.regularity) == ("Accord", 1, "regular")
    assert (refus.rank, refus.regularity) == (None, "irregular")
    assert [(i.kind, i.number, i.clause) for i in refus.irregularities] == [("minimum_refused", "1.1.1", "mini")]
    assert "« Chiffrement des flux »" in refus.irregularities[0].text and "1.1.1" in refus.irregularities[0].text
    # a non to the other, ordinary item only costs points
    assert refus.total == accord.total == 50


def test_a_blank_scored_answer_cannot_be_regularised_a_missing_document_can():
    questions = [question("a"), question("b")]
    chosen = selection(questions, [clause(["a", "b"], ["flux"])], ["flux"], completeness_weight=1)
    chosen.tender.letters.regularisation = True
    review = review_responses(chosen, [response("Blanc", {"a": "oui", "b": None}, {"flux": True}),
                                       response("Sans pièce", {"a": "oui", "b": "oui"}, {"flux": False}),
                                       response("Complet", {"a": "oui", "b": "oui"}, {"flux": True})])
    by = {v.vendor: v for v in review.vendors}
    assert by["Blanc"].regularity == "irregular" and by["Blanc"].rank is None
    assert [i.kind for i in by["Blanc"].irregularities] == ["unanswered_scored"]
    assert by["Sans pièce"].regularity == "to_regularise" and by["Sans pièce"].rank == 2
    assert by["Complet"].regularity == "regular" and by["Complet"].rank == 1
    assert [v.vendor for v in review.vendors] == ["Complet", "Sans pièce", "Blanc"]   # unranked after the ranked


def test_a_document_declared_but_not_attached_is_not_supplied_however_the_offer_is_packaged():
    questions = [question("a")]
    chosen = selection(questions, [clause(["a"], ["flux"])], ["flux"])
    lone = response("Seul", {"a": "oui"}, {"flux": True}, attached=False)
    vendor = review_responses(chosen, [lone]).vendors[0]
    assert vendor.missing_deliverables == ["flux"] and vendor.regularity == "irregular"
    assert [i.kind for i in vendor.irregularities] == ["declared_not_attached"]
    assert "déclarée, non jointe au dossier analysé" in vendor.irregularities[0].text
