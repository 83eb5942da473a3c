"""The reviewer workbench in a real browser (Debian's chromium through Playwright), against uvicorn.

One server and one browser for the module; each test logs in afresh. With OPENIMR_SCREENSHOTS=DIR the tests
also save the screenshots the README shows (docs/screenshots).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api_support import PASSWORD
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, Server, browser_or_skip, serve, small_png
from tests.pdfmaker import make_pdf

SHOTS = os.environ.get("OPENIMR_SCREENSHOTS")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    browser_or_skip()
    yield from serve(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    sync_playwright = browser_or_skip()
    profile = tmp_path_factory.mktemp("chromium-profile")  # a new, empty user-data-dir
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 860}, accept_downloads=True)
        ctx.set_default_timeout(10_000)
        yield ctx
        ctx.close()


@pytest.fixture
def page(context: Any, server: Server) -> Iterator[Any]:
    context.clear_cookies()
    p = context.new_page()
    p.base = server.url
    yield p
    p.close()


def shot(page: Any, name: str, top: bool = False) -> None:
    if SHOTS:
        if top:  # the page from its heading; a scrolled pane inside it stays where it is
            page.evaluate("window.scrollTo(0, 0)")
        small_png(page.screenshot(), Path(SHOTS) / f"{name}.png")


def login(page: Any, user: str, path: str = "/") -> None:
    page.goto(page.base + path)
    assert "/login" in page.url  # every page but /login needs a session
    page.get_by_label("User name").fill(user)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert "/login" not in page.url


def test_reviewer_reviews_edits_signs_and_the_letter_downloads(page: Any) -> None:
    page.goto(page.base + "/login")
    shot(page, "login")
    page.get_by_label("User name").fill("pmr")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("alert").inner_text() == "wrong user name or password"

    login(page, "pmr")
    cookie = next(c for c in page.context.cookies() if c["name"] == "openimr_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    # the queue holds only the cases assigned to this reviewer
    rows = page.locator("table.cases tbody tr")
    assert rows.count() == 1
    assert rows.first.locator("th").inner_text() == "WEB-0001"
    assert "determination" in rows.first.inner_text() and "2024-04-17" in rows.first.inner_text()
    shot(page, "queue-reviewer")

    page.get_by_role("link", name="WEB-0001").click()
    item1 = page.locator("#item-1")
    criterion = item1.locator("li.criterion", has_text="trial or documented improvement")
    assert "Unmet" in criterion.locator(".status").inner_text()
    link = criterion.get_by_role("link", name="“Six sessions of chiropractic therapy”")
    target = link.get_attribute("href")
    link.click()
    mark = page.locator(target)
    assert mark.evaluate("el => el.tagName") == "MARK"
    assert mark.inner_text() == "Six sessions of chiropractic therapy"
    # on hover: the fact found there and the criterion it supports
    assert mark.get_attribute("title").startswith("prior treatment — Item 1: trial-or-documented-improvement")
    assert mark.evaluate("el => document.activeElement === el")
    assert mark.is_visible() and page.url.endswith(target)
    # a criterion the records leave silent says which record would settle it
    assert page.locator("#item-2 .needs").count() >= 1
    assert "What record would change this" in page.locator("#item-2 .needs").first.inner_text()
    shot(page, "case", top=True)
    page.set_viewport_size({"width": 820, "height": 1180})  # a tablet held upright: one column, no sideways scroll
    assert page.evaluate("document.documentElement.scrollWidth") <= 820
    records, determination = page.locator("section.records").bounding_box(), page.locator("#det-h").bounding_box()
    assert records["y"] > determination["y"]  # the records follow the determination
    shot(page, "case-tablet", top=True)
    page.set_viewport_size({"width": 1280, "height": 860})

    page.get_by_role("link", name="Edit the determination").click()
    rationale = page.get_by_label("Rationale").first
    rationale.fill(rationale.input_value() + " The reviewer confirmed the visit count with the treating office.")
    page.get_by_label("Note for this version (optional)").fill("visit count confirmed")
    shot(page, "edit")
    page.get_by_role("button", name="Save as version 2").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Changes from version 1 to version 2"
    added = page.locator("#d-1 ~ p.rationale ins, section.diff:has(#d-1) ins")
    assert "confirmed the visit count with the treating office." in added.first.inner_text()
    assert "(unchanged)" in page.locator("#d-2").inner_text()
    shot(page, "diff")

    page.get_by_role("link", name="← Case WEB-0001").click()
    page.get_by_role("link", name="Read the letter and sign").click()
    preview = page.frame_locator("iframe.letter")
    assert "WEB-0001" in preview.locator("body").inner_text()
    assert "confirmed the visit count" in preview.locator("body").inner_text()
    shot(page, "sign")
    page.get_by_label(re.compile("I have read the letter above")).check()
    page.get_by_role("button", name="Sign version 2").click()
    assert "Signed version 2" in page.get_by_role("status").inner_text()
    assert page.locator("dd.state").inner_text().startswith("signed")

    page.get_by_role("button", name="Log out").click()
    login(page, "intake", "/cases/WEB-0001")
    assert page.url.endswith("/cases/WEB-0001")  # back where the login began
    page.get_by_role("button", name="Issue the letter").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Final Determination Letter"
    assert "confirmed the visit count" in page.frame_locator("iframe.letter").locator("body").inner_text()
    shot(page, "letter")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download PDF").click()
    download = info.value
    assert download.suggested_filename == "WEB-0001.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")


def test_chiropractor_cannot_sign_an_upheld_outcome(page: Any) -> None:
    login(page, "chiro")
    row = page.locator("table.cases tbody tr", has_text="WEB-0002")
    assert "⚠ Overdue" in row.inner_text() and "4 days late" in row.inner_text()  # a word and a sign, not colour
    page.get_by_role("link", name="WEB-0002").click()
    # the keyboard reaches the evidence too: Enter on a source link focuses the marked words
    link = page.locator("a.source-link").first
    link.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.tagName") == "MARK"
    assert page.evaluate("document.activeElement.id") == link.get_attribute("href")[1:]
    page.get_by_role("link", name="Read the letter and sign").click()
    assert "must be signed by a physician reviewer (MD or DO)" in page.get_by_role("note").inner_text()
    page.get_by_label(re.compile("I have read the letter above")).check()
    with page.expect_response(re.compile(r"/cases/WEB-0002/sign$")) as answer:
        page.get_by_role("button", name="Sign version 1").click()
    assert answer.value.status == 409
    assert "an Upheld outcome (a denial) must be signed by a physician reviewer (MD or DO)" in \
        page.get_by_role("alert").inner_text()
    shot(page, "refused")
    page.goto(page.base + "/cases/WEB-0002")
    assert page.locator("dd.state").inner_text().startswith("drafted")


def test_intake_files_a_case_from_an_uploaded_pdf(page: Any) -> None:
    login(page, "intake")
    page.get_by_role("link", name="File a case").click()
    page.get_by_label("Case number").fill("WEB-0100")
    page.get_by_label("Date of injury").fill("2024-01-10")
    page.get_by_label("UR decision date").fill("2024-03-01")
    page.get_by_label("Employee").fill("Kim Stacker")
    page.get_by_label("Disputed items, one a line").fill("Chiropractic therapy, lumbar spine, 8 visits")
    ur = make_pdf(["Utilization review decision of 2024-03-01.", "Chiropractic manipulation is non-certified."])
    notes = make_pdf(["Progress report 2024-02-20.", "Chronic low back pain after a lifting injury.",
                      "Lumbar tenderness on examination."])
    page.get_by_label("UR decision letter (PDF or .txt)").set_input_files(
        {"name": "ur-decision.pdf", "mimeType": "application/pdf", "buffer": ur})
    page.get_by_label("Medical records (PDF or .txt, several allowed)").set_input_files(
        {"name": "progress.pdf", "mimeType": "application/pdf", "buffer": notes})
    shot(page, "intake")
    page.get_by_role("button", name="File the case").first.click()
    assert "Case WEB-0100 filed with 2 uploaded document(s)." in page.get_by_role("status").inner_text()
    records = page.locator("section.records")
    assert "Lumbar tenderness on examination." in records.inner_text()
    assert "ur-decision.pdf" in records.inner_text()

    page.get_by_role("button", name="Check eligibility").click()
    assert "Eligible" in page.get_by_role("status").inner_text()
    page.get_by_label("Sent electronically").check()
    page.get_by_role("button", name="Request the records").click()
    assert "The records are due 2024-04-01 (12 days left)." in page.get_by_role("status").inner_text()
    page.get_by_role("button", name="Mark the records received").click()
    assert "The determination is due 2024-04-19 (30 days left)." in page.get_by_role("status").inner_text()


def test_admin_assigns_by_override_with_a_reason(page: Any) -> None:
    login(page, "admin")
    # admins see every case and the deadline lists
    assert "WEB-0002" in page.locator("#list-overdue + ul").inner_text()
    assert "WEB-0003" in page.locator("#list-at_risk + ul").inner_text()
    assert "◷ At risk" in page.locator("table.cases tbody tr", has_text="WEB-0003").inner_text()
    page.get_by_label("Deadline").select_option("overdue")
    page.get_by_role("button", name="Filter").click()
    assert [t.strip() for t in page.locator("table.cases tbody th").all_inner_texts()] == ["WEB-0002"]
    page.get_by_role("link", name="Clear").click()
    shot(page, "queue-admin")
    page.locator("table.cases").get_by_role("link", name="WEB-0003").click()
    page.get_by_role("link", name="Assign a reviewer").click()
    excluded = page.locator("table", has=page.get_by_role("columnheader", name="Rule"))
    assert "no licence in California" in excluded.locator("tr", has_text="r-tx").inner_text()
    shot(page, "assign")
    page.get_by_label("Reviewer", exact=True).select_option("r-chiro")
    page.get_by_label("Reason for the override").fill("treating chiropractic question; PM&R reviewer on leave")
    page.get_by_role("button", name="Assign by override").click()
    assert "by override (treating chiropractic question; PM&R reviewer on leave)" in \
        page.get_by_role("status").inner_text()
    page.get_by_text("Why this reviewer").click()
    assert "manual override: treating chiropractic question" in page.locator("details.card").first.inner_text()

    page.locator("section.actions").get_by_role("link", name="Audit log").click()
    log = page.locator("table.audit").inner_text()
    assert "assign" in log and "PM&R reviewer on leave" in log
    shot(page, "audit")

    page.get_by_role("navigation").get_by_role("link", name="Reviewers").click()
    registry = page.locator("table tbody").inner_text()
    assert "r-chiro" in registry and "Casey Chiropractor" in registry
    shot(page, "reviewers")
    page.get_by_role("navigation").get_by_role("link", name="Users").click()
    assert page.locator("table.users tbody tr").count() == 4
    shot(page, "users")
