from collections import Counter

import pytest

from bicorpus.sources.capture import SourceFile
from bicorpus.sources.cleaners import clean
from bicorpus.problems import CorpusError
from bicorpus.schema import ParagraphKind, RegionReason


def test_regions_partition_the_capture(built):
    raw = built.sources.capture.text
    regions = built.cleaned.regions
    assert regions[0].raw_start == 0 and regions[-1].raw_end == len(raw)
    assert all(a.raw_end == b.raw_start for a, b in zip(regions, regions[1:]))
    assert "".join(raw[r.raw_start:r.raw_end] for r in regions) == raw


def test_body_blocks_are_raw_slices_and_kept_regions(built):
    raw = built.sources.capture.text
    kept = [(r.raw_start, r.raw_end) for r in built.cleaned.regions if r.kept]
    assert kept == [(b.raw_start, b.raw_end) for b in built.cleaned.blocks]
    for block in built.cleaned.blocks:
        assert raw[block.raw_start:block.raw_end] == block.text == block.text.strip()


def test_structure_of_the_article(built):
    kinds = Counter(b.kind for b in built.cleaned.blocks)
    # Read off the page: 1 title, 1 standfirst, 8 headings, 44 paragraphs.
    assert kinds == {ParagraphKind.TITLE: 1, ParagraphKind.LEAD: 1, ParagraphKind.HEADING: 8, ParagraphKind.PARAGRAPH: 44}
    headings = [b.text.split(":")[0] for b in built.cleaned.blocks if b.kind is ParagraphKind.HEADING]
    assert headings == ["模型大小", "优化", "最优参数化", "最优计算模型", "多模态", "稀疏性", "对齐", "情报总结"]
    assert built.cleaned.blocks[-1].text.startswith("对齐:GPT-4 的对齐程度将高于 GPT-3。")


def test_every_kind_of_chrome_is_dropped_with_its_reason(built):
    raw = built.sources.capture.text
    by_reason = {}
    for r in built.cleaned.regions:
        by_reason.setdefault(r.reason, []).append(raw[r.raw_start:r.raw_end])
    assert by_reason[RegionReason.SITE_UI] == ["写点什么"]
    assert "本文字数:4316 字" in by_reason[RegionReason.HEADER_METADATA][0]
    assert "towardsdatascience.com" in by_reason[RegionReason.SOURCE_LINK][0]
    assert "busulishang4668" in by_reason[RegionReason.AUTHOR_BOX][0]
    assert "零号ChatAi" in by_reason[RegionReason.COMMENTS][0]
    assert "发现更多内容" in by_reason[RegionReason.RELATED_ARTICLES][0]
    assert by_reason[RegionReason.PAGE_TITLE][0].endswith("_Alberto Romero_InfoQ精选文章")
    body = "\n".join(b.text for b in built.cleaned.blocks)
    for reason in (RegionReason.AUTHOR_BOX, RegionReason.COMMENTS, RegionReason.RELATED_ARTICLES):
        for chunk in by_reason[reason]:
            assert chunk not in body


def test_header_is_parsed(built):
    header = built.cleaned.header
    assert (header["date"], header["word_count"], header["reading_minutes"]) == ("2022-04-22", 4316, 14)


def test_golden_small_capture(demo_project):
    capture = (demo_project / "corpus" / "demo_article" / "capture.txt").read_text(encoding="utf-8")
    cleaned = clean([SourceFile("demo.txt", capture)], "infoq_v1")
    assert [(b.kind.value, b.text) for b in cleaned.blocks] == [
        ("title", "示例文章：两个模型的故事"),
        ("lead", "这是一篇为测试而写的短文。它不是真实的新闻。"),
        ("paragraph", "据说 Model-X 约有 1750 亿参数（这只是一个例子）。另一个模型“更小”！它真的更好吗？"),
        ("heading", "小节标题"),
        ("paragraph", "作者认为 e.g. 这种写法只是测试。"),
    ]
    assert [r.reason.value for r in cleaned.regions if r.reason is not RegionReason.LAYOUT_WHITESPACE][:4] == [
        "site_ui", "repeated_title", "header_metadata", "body"]


@pytest.mark.parametrize("cut, message", [
    ("原文链接:", "no source link line"),
    ("评论 0 条评论", "no comment section"),
    ("  • 本文字数:120 字\n", "no word count line"),
])
def test_missing_landmark_names_file_and_line(demo_project, cut, message):
    capture = (demo_project / "corpus" / "demo_article" / "capture.txt").read_text(encoding="utf-8")
    assert cut in capture
    with pytest.raises(CorpusError, match=rf"demo.txt:\d+: infoq_v1 cleaner: {message}"):
        clean([SourceFile("demo.txt", capture.replace(cut, ""))], "infoq_v1")


def test_unknown_cleaner_is_named():
    with pytest.raises(CorpusError, match="unknown cleaner 'nope'"):
        clean([SourceFile("x.txt", "text")], "nope")
