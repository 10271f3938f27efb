import re

import pytest

from bicorpus.sources.capture import parse_metadata, read_document, SourceFile, sha256_text
from bicorpus.problems import CorpusError


def test_capture_is_the_seed_verbatim(root, sources):
    seed = root.parent / "shared" / "seeds" / "000_7530da210da85154.txt"
    if not seed.exists():
        pytest.skip("shared/seeds is not beside this checkout")
    assert (root / "corpus" / "gpt4_article" / "capture.txt").read_bytes() == seed.read_bytes()


def test_recorded_sha256_matches(sources):
    assert sha256_text(sources.capture.text) == sources.metadata.zh.files[0].sha256


def test_changed_capture_is_refused(project_copy):
    capture = project_copy / "corpus" / "gpt4_article" / "capture.txt"
    capture.write_text(capture.read_text(encoding="utf-8") + " ", encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        read_document(project_copy / "corpus", project_copy / "annotations", "gpt4_article")
    assert re.search(r"document.yaml:\d+: zh.files.0.sha256: .*capture.txt has sha256", str(err.value))


def test_metadata_names_line_and_field_of_a_bad_value():
    text = "doc_id: x\nzh_word_count: many\n"
    with pytest.raises(CorpusError) as err:
        parse_metadata(SourceFile("meta.yaml", text))
    message = str(err.value)
    assert "meta.yaml:2: zh_word_count: Input should be a valid integer" in message
    assert "meta.yaml: title_zh: required key is missing" in message


def test_crlf_and_invalid_utf8_are_refused(tmp_path):
    from bicorpus.sources.capture import read_source

    (tmp_path / "a.txt").write_bytes(b"one\r\ntwo\n")
    with pytest.raises(CorpusError, match=r"a.txt:1: carriage return"):
        read_source(tmp_path / "a.txt")
    (tmp_path / "b.txt").write_bytes(b"ok\n\xff\n")
    with pytest.raises(CorpusError, match=r"b.txt:2: not valid UTF-8"):
        read_source(tmp_path / "b.txt")


def test_a_byte_order_mark_is_not_text(tmp_path):
    """Read as UTF-8 without the mark an editor may put first; `data` is the file as it is."""
    from bicorpus.sources.capture import read_source

    (tmp_path / "a.md").write_bytes(b"\xef\xbb\xbf# Title\n\xef\xbb\xbfkept\n")
    source = read_source(tmp_path / "a.md")
    assert source.text == "# Title\n\ufeffkept\n" and source.lines()[0] == "# Title"  # only the first is a mark
    assert source.bom and source.data == (tmp_path / "a.md").read_bytes()
    (tmp_path / "b.md").write_bytes(b"# Title\n")
    assert not read_source(tmp_path / "b.md").bom and read_source(tmp_path / "b.md").data == b"# Title\n"


def test_a_side_file_with_a_byte_order_mark_keeps_its_sha256(project_copy):
    """The recorded sha256 is that of the file's bytes, mark and all (the file stays verbatim);
    the text read from it has no mark."""
    import hashlib

    corpus = project_copy / "corpus" / "gpt4_article"
    capture = corpus / "capture.txt"
    before = hashlib.sha256(capture.read_bytes()).hexdigest()
    capture.write_bytes(b"\xef\xbb\xbf" + capture.read_bytes())
    meta = corpus / "document.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace(before, hashlib.sha256(capture.read_bytes()).hexdigest()),
                    encoding="utf-8")
    sources = read_document(project_copy / "corpus", project_copy / "annotations", "gpt4_article")
    assert sources.capture.bom and not sources.capture.text.startswith("\ufeff")
