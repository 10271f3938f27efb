"""The side-by-side viewer: escaping and self-containment as unit tests, then the real page
in headless Chromium (Debian's chromium with fonts-noto-cjk, installed by .ci/run)."""

import re
import shutil
import subprocess

import pytest

from bicorpus.pipeline.build import load_inputs, process_document
from bicorpus.publishing.view import render_html, write_view

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HOSTILE = '<script>alert("pwned")</script> & <b>"bold"</b> \'quoted\''


def has_cjk_font() -> bool:
    if not shutil.which("fc-list"):
        return False
    return bool(subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout.strip())


def browser_or_skip():
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium fonts-noto-cjk; .ci/run does this as root)")
    if not has_cjk_font():
        pytest.skip("no Chinese font (apt-get install fonts-noto-cjk): Chinese would render as boxes")
    playwright = pytest.importorskip("playwright.sync_api", reason="the test extra 'playwright' is not installed")
    return playwright


@pytest.fixture(scope="module")
def page_file(built, tmp_path_factory):
    return write_view(built, tmp_path_factory.mktemp("view"))


@pytest.fixture()
def hostile_built(demo_project):
    en = demo_project / "corpus" / "demo_article" / "en.txt"
    text = en.read_text(encoding="utf-8")
    # inside a sentence, so the gold sentence alignment still fits
    en.write_text(text.replace("this way is only a test.", f"this way {HOSTILE} is only a test."), encoding="utf-8")
    return process_document(*load_inputs(demo_project / "corpus", demo_project / "annotations", "demo_article"))


def test_markup_in_the_text_is_escaped(hostile_built):
    html = render_html(hostile_built)
    assert "<script>alert" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &lt;b&gt;" in html
    assert html.count("<script>") == 1  # the page's own script only


def test_page_is_self_contained(page_file):
    html = page_file.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=|@import|url\(""", html)


def test_unannotated_document_shows_aligned_text(hostile_built):
    html = render_html(hostile_built)
    assert "no claim annotation yet" in html and 'class="claim' not in html


def launch(sync_playwright):
    return sync_playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
              "--disable-sync", "--no-first-run", "--disable-quic"])


def test_page_in_a_real_browser(page_file, built, tmp_path):
    playwright = browser_or_skip()
    gold_claims = len(built.rows["claims"])
    with playwright.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        external = []
        page.on("request", lambda r: external.append(r.url) if not r.url.startswith("file:") else None)
        page.goto(page_file.as_uri())
        shot = tmp_path / "viewer.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 50_000  # a rendered page, not a blank one
        assert external == []
        for side in ("zh", "en"):
            count = page.eval_on_selector_all(f"td.{side} .claim", "els => new Set(els.map(e => e.dataset.claim)).size")
            assert count == gold_claims
        # hovering a Chinese claim lights its English twin, and only it
        page.locator('td.zh .claim[data-claim="gpt4_article/p030-c01"]').first.hover()
        twins = page.eval_on_selector_all("td.en .claim.twin", "els => els.map(e => e.dataset.claim)")
        assert twins == ["gpt4_article/p030-c01"]
        # unchecking a hedge level dims exactly the claims of that level
        page.locator('input[name="hedge"][value="certain"]').uncheck()
        dimmed = page.eval_on_selector_all("td.zh .claim.dim", "els => [...new Set(els.map(e => e.dataset.hedge))]")
        shown = page.eval_on_selector_all("td.zh .claim:not(.dim)", "els => [...new Set(els.map(e => e.dataset.hedge))]")
        assert dimmed == ["certain"] and "certain" not in shown and shown
        # a number mark carries its normalized value
        title = page.locator('td.en .number', has_text="175 billion to 280 billion").first.get_attribute("title")
        assert title == "range 1.75e+11 – 2.8e+11 · unit parameters"
        browser.close()


def test_hostile_text_stays_text_in_the_browser(hostile_built, tmp_path):
    playwright = browser_or_skip()
    path = write_view(hostile_built, tmp_path)
    with playwright.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(path.as_uri())
        assert dialogs == []
        assert HOSTILE in page.locator("td.en").last.text_content()
        assert page.locator("td.en b").count() == 0
        browser.close()
