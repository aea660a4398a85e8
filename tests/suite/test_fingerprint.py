"""A notebook's fingerprint knows the environment that shapes its outputs: package versions, the font, EPOCH."""

import pytest

from analysis.suite import pipeline

NOTEBOOK = pipeline.notebook_paths()[0]


@pytest.fixture
def fresh_key():
    pipeline.environment_key.cache_clear()
    yield
    pipeline.environment_key.cache_clear()  # leave no patched value cached for later tests in this worker


def test_fingerprint_covers_the_output_shaping_packages(fresh_key):
    versions = pipeline.package_versions()
    assert {"pandas", "numpy", "matplotlib", "seaborn", "openpyxl", "noto-cjk-sans-otc"} <= set(versions)
    assert "noto-cjk-sans-otc:NotoSansCJK-Regular.ttc" in versions  # the font file's own hash, from its RECORD
    assert all(v != "absent" for v in versions.values())


@pytest.mark.parametrize("package", pipeline.OUTPUT_PACKAGES)
def test_a_new_package_version_changes_the_fingerprint(package, monkeypatch, fresh_key):
    before = pipeline.fingerprint(NOTEBOOK)
    real = pipeline.package_versions()
    monkeypatch.setattr(pipeline, "package_versions", lambda: {**real, package: real[package] + ".post1"})
    pipeline.environment_key.cache_clear()
    assert pipeline.fingerprint(NOTEBOOK) != before
    monkeypatch.setattr(pipeline, "package_versions", lambda: real)
    pipeline.environment_key.cache_clear()
    assert pipeline.fingerprint(NOTEBOOK) == before  # and nothing else in it moved


def test_a_new_font_file_changes_the_fingerprint(monkeypatch, fresh_key):
    before = pipeline.fingerprint(NOTEBOOK)
    real = pipeline.package_versions()
    key = "noto-cjk-sans-otc:NotoSansCJK-Regular.ttc"
    monkeypatch.setattr(pipeline, "package_versions", lambda: {**real, key: "x" + real[key][1:]})
    pipeline.environment_key.cache_clear()
    assert pipeline.fingerprint(NOTEBOOK) != before


def test_bumping_the_epoch_changes_the_fingerprint(monkeypatch, fresh_key):
    before = pipeline.fingerprint(NOTEBOOK)
    monkeypatch.setattr(pipeline, "EPOCH", pipeline.EPOCH + 1)
    pipeline.environment_key.cache_clear()
    assert pipeline.fingerprint(NOTEBOOK) != before
