"""Issue 12: nothing lost, nothing half-written, nothing silently published. One test (or a small group)
per numbered item of the reliability probe; each reproduced its defect before the fix."""

from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent


# --- item 3: impossible values are refused by parsing, in one function ---
@pytest.mark.parametrize("period", ["2020-H1\n", "2020-M07-M02", "2020-YTD@2019-99-99", "2020-YTD@2020-02-30",
                                    "2020-YTD@2021-01-05", "2020\r", " 2020", "2020-M00-M03", "H1 2020"])
def test_item03_check_period_refuses_impossible_periods(period):
    from analysis.schema import check_period

    with pytest.raises(ValueError, match="period"):
        check_period(period)


@pytest.mark.parametrize("period", ["2020", "2020-H1", "2020-H2", "2022-M01-M08", "2022-M03-M03",
                                    "2022-YTD@2022-09-22", "2024-YTD@2024-02-29", "2022-spring"])
def test_item03_check_period_accepts_real_periods(period):
    from analysis.schema import check_period, period_bounds

    assert check_period(period) == period
    assert period_bounds(period)[0] <= period_bounds(period)[1]


def test_item03_fig_period_and_schema_use_the_same_check():
    from analysis.observations import Fig, ObservationError, build_observations
    from analysis.schema import SchemaError, validate

    fig = Fig("new_urban_jobs", "新增城镇就业2.01万人", period="2022-H1\n")
    with pytest.raises(ObservationError, match=r"figure 1 \(new_urban_jobs\): .*period"):
        build_observations("zaozhuang_2022h1_zh", [fig])
    df = pd.read_csv(ROOT / "data/clean/xuzhou_2020h1_zh.csv", dtype=str, keep_default_na=False)
    for bad in ("2020-H1\n", "2020-M07-M02", "2020-YTD@2019-99-99"):
        df.loc[2, "period"] = bad
        with pytest.raises(SchemaError, match=r"row 3 .*field 'period'"):
            validate(df, where="data/clean/xuzhou_2020h1_zh.csv")


SCAFFOLD_GOOD = dict(source_id="suqian_2021h1_zh", city_en="Suqian", city_zh="宿迁", admin_level="prefecture",
                     province="Jiangsu", language="zh-Hans", published="2021-07-20", period="2021-H1", kind="results",
                     outlet="宿迁日报", body_start="今年上半年", body_end="(记者 张三)")
ARTICLE = ("网站首页 | 新闻中心\n宿迁市上半年民生实事进展顺利\n今年上半年,全市城镇新增就业3.2万人,开展职业技能培训1.5万人次。\n"
           "新增学位8600个,招聘教师850名。\n(记者 张三)\n推荐阅读: 2021年宿迁GDP达3719亿元\n")


@pytest.mark.parametrize("field, value, message", [
    ("published", "2022-02-30", "--published '2022-02-30'"),
    ("period", "2021-H1\n", "--period"),
    ("period", "2020-M07-M02", "--period"),
    ("period", "2020-YTD@2019-99-99", "--period"),
    ("city_en", "Suqian\nEvil", "--city-en"),
    ("outlet", "宿迁\x00日报", "--outlet"),
    ("note", "a\rb", "--note"),
])
def test_item03_new_source_refuses_impossible_values(scratch_repo, tmp_path, field, value, message):
    from analysis.scaffold import NewSource, ScaffoldError, plan

    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(ScaffoldError, match="nothing written") as e:
        plan(NewSource(article=article, **{**SCAFFOLD_GOOD, field: value}), root=scratch_repo)
    assert message in str(e.value)
