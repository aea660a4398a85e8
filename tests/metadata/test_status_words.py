"""Status from the clause's words (issue 21 item 3): what was done as a share of the plan is a result, 年内完成 a plan,
全年目标 a target; a row filed against those words needs a note saying why (the rulebook's status_words)."""

import pytest

from analysis.metadata.comparability import status_hint


@pytest.mark.parametrize("quote, status", [
    ("完成计划任务的107%", "result"),
    ("已完成全年目标任务的85%", "result"),
    ("累计完成年度计划的62.5%", "result"),
    ("年内完成10所中小学校新建改扩建项目", "plan"),
    ("年底前建成社区食堂20处", "plan"),
    ("下半年还将新建学校3所", "plan"),
    ("拟新建公园10个", "plan"),
    ("全年目标23万人", "target"),
    ("全年新增就业目标为23万人", "target"),
    ("力争新增就业5万人", "target"),
    ("The city will build 10 parks", "plan"),
    ("The county plans to renovate 30 communities", "plan"),
    ("The city aims to add 5,000 jobs", "target"),
    ("新增城镇就业2.01万人", None),
    ("已有26项提前完成全年任务目标", None),
    ("7000名教師招聘已統一發布招聘公告", "announced"),
])
def test_the_clause_says_the_status(quote, status):
    assert status_hint(quote) == status


def test_a_done_share_filed_as_a_target_needs_a_note():
    import pandas as pd

    from analysis.clean.rules import row_problems
    from analysis.metadata.schema import COLUMNS

    row = {c: "" for c in COLUMNS}
    row.update(source_id="x", indicator="new_urban_jobs", quote="完成全年目标任务的85%", status="target", scope="")
    found = [p for p in row_problems(pd.DataFrame([row]), "data/clean/x.csv", rules=["status_words"]) if p.rule == "status_words"]
    assert found and "what was done" in found[0].message
    row.update(note="status: the article files it under its targets")
    assert not [p for p in row_problems(pd.DataFrame([row]), "data/clean/x.csv", rules=["status_words"])
                if p.rule == "status_words"]


@pytest.mark.parametrize("quote, figure, status", [
    ("完成全年目标4.5万人的76.9%", "4.5万人", "target"),
    ("完成全年目标4.5万人的76.9%", "76.9%", None),
    ("全年新增就业目标任务为3万人", "3万人", "target"),
    ("more than half of its full-year goal of 50,000", "50,000", "target"),
    ("the annual target is 12,000 people", "12,000 people", "target"),
    ("新增城镇就业2.01万人，同比增长3.5%", "2.01万人", None),
])
def test_a_figure_the_words_before_it_call_the_target_is_a_target(quote, figure, status):
    from analysis.metadata.comparability import figure_status_hint

    assert figure_status_hint(quote, figure) == status


def test_the_years_target_filed_as_a_result_needs_a_note_but_what_was_done_of_it_does_not():
    import pandas as pd

    from analysis.clean.rules import row_problems
    from analysis.metadata.schema import COLUMNS

    def problems(figure, status, note=""):
        row = {c: "" for c in COLUMNS}
        row.update(source_id="x", indicator="new_urban_jobs", quote="完成全年目标4.5万人的76.9%", figure=figure, status=status,
                   note=note, scope="")
        return [p for p in row_problems(pd.DataFrame([row]), "data/clean/x.csv", rules=["status_words"])]

    assert [p.rule for p in problems("4.5万人", "result")] == ["status_words"]
    assert not problems("4.5万人", "target") and not problems("76.9%", "result")
    assert not problems("4.5万人", "result", note="status: the article counts the target as met")
