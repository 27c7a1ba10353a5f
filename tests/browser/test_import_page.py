"""An admin imports a CSV through the real pages and watches the progress bar reach 100 %."""

from __future__ import annotations

import re

import pytest

from followthrough.crm.models import Deal
from followthrough.ingest import uploads
from followthrough.ingest.models import ImportRun
from tests.browser.conftest import VIEWPORT, log_in
from tests.cast import PASSWORD
from tests.ingest.test_web_import import MAPPING

# Row 4 has a negative amount: with "skip invalid rows" the other two are written.
CSV = (
    "Deal ID,Deal,Owner,Amount,Created,Stage,Outcome\n"
    "D-1,Acme renewal,rita@acme.test,1200.50,2025-01-10,Proposal,Open\n"
    "D-2,Acme upsell,rob@acme.test,800,2025-02-01,Contract,Won\n"
    "D-3,Acme pilot,rita@acme.test,-5,2025-02-03,Discovery,Open\n"
)


@pytest.fixture
def files(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "deals.csv").write_text(CSV)
    (tmp_path / "deals.toml").write_text(MAPPING)
    return tmp_path


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """Hold the job back, so the test decides when the import runs."""
    held: list[int] = []
    monkeypatch.setattr("followthrough.ingest.tasks.run_import", held.append)
    return held


def upload_and_preview(page, files, screenshot=None) -> None:
    page.goto("/imports/new/")
    page.select_option("select[name=kind]", "deals")
    page.set_input_files("input[name=file]", str(files / "deals.csv"))
    page.set_input_files("input[name=mapping_file]", str(files / "deals.toml"))
    page.check("input[name=mode][value=skip]")
    if screenshot:
        screenshot(page, "import-new")
    with page.expect_navigation():
        page.click("form button.primary")
    assert "/imports/preview/" in page.url


def test_an_admin_uploads_a_csv_and_watches_it_import(cast, login_as, screenshot, files, queued):
    page = login_as(cast.admin)
    page.click("nav.mainnav >> text=Imports")
    assert page.locator("h1").inner_text() == "Imports"
    screenshot(page, "import-list-empty")

    upload_and_preview(page, files, screenshot)
    assert page.locator("h1").inner_text() == "Preview of deals.csv"
    assert page.locator("table.preview tbody tr").count() == 3
    assert page.locator("table.preview tr.bad").inner_text().count("must not be negative") == 1
    screenshot(page, "import-preview")

    with page.expect_navigation():
        page.click("button[name=start]")
    [run_id] = queued
    assert page.url.endswith(f"/imports/{run_id}/")
    assert page.locator("#run-progress").get_attribute("value") == "0"
    screenshot(page, "import-queued")

    uploads.perform(run_id)
    # htmx polls the status every second and swaps it in place, without reloading.
    page.locator("#run-progress[value='100']").wait_for()
    assert page.url.endswith(f"/imports/{run_id}/")
    assert page.locator(".percent").inner_text() == "100 %"
    counts = page.locator("dl.counts dd").all_inner_texts()
    assert counts == ["2", "0", "0", "1"]
    assert page.locator("table.rejected tbody tr").inner_text().split("\t")[1:4] == [
        "4",
        "Amount",
        "-5",
    ]
    assert page.locator("#run-status[hx-trigger]").count() == 0
    screenshot(page, "import-result")
    assert sorted(Deal.objects.values_list("external_id", flat=True)) == ["D-1", "D-2"]

    page.click("nav.mainnav >> text=Imports")
    row = page.locator("table.runs tbody tr").first.inner_text()
    assert re.search(r"Ada\s+Deals\s+deals\.csv\s+deals\.toml\s+Done\s+2\s+0\s+0\s+1", row), row
    screenshot(page, "import-list")


def test_without_javascript_the_run_page_refreshes_itself(
    browser, live_server, cast, screenshot, files, queued
):
    context = browser.new_context(
        base_url=live_server.url, viewport=VIEWPORT, java_script_enabled=False
    )
    try:
        page = context.new_page()
        log_in(page, cast.admin.email, PASSWORD)
        upload_and_preview(page, files)
        with page.expect_navigation():
            page.click("button[name=start]")
        [run_id] = queued
        assert page.locator(".percent").inner_text() == "0 %"
        uploads.perform(run_id)
        page.wait_for_url(f"**/imports/{run_id}/", wait_until="load")
        page.locator(".percent", has_text="100 %").wait_for(timeout=6000)
        assert page.locator("dl.counts dd").all_inner_texts() == ["2", "0", "0", "1"]
        assert ImportRun.objects.get(pk=run_id).created == 2
        screenshot(page, "import-result-nojs")
    finally:
        context.close()


def test_the_import_form_speaks_chinese(cast, login_as, screenshot):
    page = login_as(cast.admin, locale="zh-CN")
    page.goto("/imports/new/")
    assert page.locator("h1").inner_text() == "新建导入"
    assert page.locator("label[for=id_kind]").inner_text().startswith("文件内容")
    screenshot(page, "import-new-zh")


def test_a_file_that_does_not_fit_the_mapping_cannot_be_run(cast, login_as, screenshot, files):
    (files / "deals.csv").write_text(CSV.replace("Deal ID", "Id"))
    page = login_as(cast.admin)
    upload_and_preview(page, files)
    assert "column not found in the header" in page.locator(".problems").inner_text()
    assert page.locator("button[name=start]").count() == 0
    screenshot(page, "import-preview-problems")


def test_all_or_nothing_shows_the_problems_first_and_offers_no_run(
    cast, login_as, screenshot, files
):
    page = login_as(cast.admin)
    page.goto("/imports/new/")
    page.select_option("select[name=kind]", "deals")
    page.set_input_files("input[name=file]", str(files / "deals.csv"))
    page.set_input_files("input[name=mapping_file]", str(files / "deals.toml"))
    with page.expect_navigation():
        page.click("form button.primary")
    problems = page.locator("#preview-problems")
    assert problems.locator("h2").inner_text() == "1 row has problems"
    assert problems.locator(".verdict").inner_text().startswith("Nothing would be imported")
    assert problems.locator("tbody tr").inner_text().split("\t")[:3] == ["4", "Amount", "-5"]
    # The summary is above the rows, in view without scrolling sideways or down.
    assert problems.bounding_box()["y"] < page.locator("table.preview").bounding_box()["y"]
    assert problems.bounding_box()["y"] < 800
    assert page.locator("button[name=start]").count() == 0
    assert not ImportRun.objects.exists()
    screenshot(page, "import-preview-all-or-nothing")


PHONE = {"width": 390, "height": 844}
PEOPLE_CSV = (
    "Name,Email,Role,Manager,Team\n"
    "Pia,pia@acme.test,rep,maya@acme.test,Alpha\n"
    "Noor,not-an-email,rep,maya@acme.test,Alpha\n"
    "Ivo,ivo@acme.test,rep,nobody@acme.test,Alpha\n"
    "Eva,eva@acme.test,rep,maya@acme.test,Omega\n"
)


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN", "nl-NL"])
def test_the_guide_and_a_people_preview_read_well_in_each_language_and_size(
    cast, login_as, screenshot, files, locale
):
    from tests.ingest.test_web_import import PEOPLE_MAPPING

    (files / "people.csv").write_text(PEOPLE_CSV)
    (files / "people.toml").write_text(PEOPLE_MAPPING)
    lang = locale[:2]
    for size, viewport in (("desktop", VIEWPORT), ("phone", PHONE)):
        page = login_as(cast.admin, locale=locale, viewport=viewport)
        page.goto("/imports/")
        with page.expect_navigation():
            page.click("a[href='/imports/guide/']")
        assert page.locator("section.guidekind").count() == 7
        assert page.locator("a[href='/imports/guide/people.csv']").is_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], width
        screenshot(page, f"import-guide-{lang}-{size}")

        page.goto("/imports/new/")
        page.select_option("select[name=kind]", "people")
        page.set_input_files("input[name=file]", str(files / "people.csv"))
        page.set_input_files("input[name=mapping_file]", str(files / "people.toml"))
        page.check("input[name=mode][value=skip]")
        with page.expect_navigation():
            page.click("form button.primary")
        rows = page.locator("#preview-problems tbody tr").all_inner_texts()
        assert [r.split("\t")[0] for r in rows] == ["3", "4", "5"]
        assert page.locator("button[name=start]").count() == 1
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], width
        screenshot(page, f"import-preview-people-{lang}-{size}")
        page.context.close()
