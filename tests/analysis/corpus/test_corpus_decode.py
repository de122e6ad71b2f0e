"""Bytes → text (encodings, binary, truncation), HTML → main text, traditional → simplified.

All inputs are SYNTHETIC strings written for these tests.
"""

from __future__ import annotations

import codecs

import pytest

from analysis.corpus import (
    BinaryContentError,
    DecodingError,
    EmptyDocumentError,
    NoDocumentBodyError,
    TruncatedDocumentError,
)
from analysis.corpus.decode import declared_charset, decode_bytes, is_traditional, script_counts, to_simplified
from analysis.corpus.extract import BODY_CONTAINERS, extract_html, looks_like_html

SIMPLIFIED = "示例市关于推进农业数据平台建设的实施意见。各部门要加强协调，认真贯彻执行，保障数据安全与网络安全。"
TRADITIONAL = "示例市關於推進農業數據平臺建設的實施意見。各部門要加強協調，認真貫徹執行，保障數據安全與網絡安全。"


# --------------------------------------------------------------------------- decoding


@pytest.mark.parametrize(
    ("data", "encoding", "method"),
    [
        (SIMPLIFIED.encode("utf-8"), "utf-8", "utf-8"),
        (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), "utf-8-sig", "bom"),
        (codecs.BOM_UTF16_LE + SIMPLIFIED.encode("utf-16-le"), "utf-16", "bom"),
        (SIMPLIFIED.encode("gbk"), "gb18030", "detected"),
        (SIMPLIFIED.encode("gb2312"), "gb18030", "detected"),
        (TRADITIONAL.encode("big5"), "big5", "detected"),
        (
            f'<html><head><meta charset="gb2312"></head><body><p>{SIMPLIFIED}</p></body></html>'.encode("gbk"),
            "gb18030",
            "declared",
        ),
    ],
)
def test_decode_bytes_detects_the_encoding(data: bytes, encoding: str, method: str) -> None:
    got = decode_bytes(data, "synthetic.txt")
    assert (got.encoding, got.method) == (encoding, method)
    assert SIMPLIFIED in got.text or TRADITIONAL in got.text


def test_wrong_declared_charset_is_not_trusted() -> None:
    data = f'<meta charset="big5"><p>{SIMPLIFIED}</p>'.encode("gbk")  # declared Big5, actually GBK
    got = decode_bytes(data, "synthetic.htm")
    assert SIMPLIFIED in got.text and got.encoding == "gb18030"


def test_declared_charset_sources() -> None:
    assert declared_charset(b"", "text/html; charset=GBK") == "gb18030"
    assert declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312">') == "gb18030"
    assert declared_charset(b'<meta charset="UTF-8">') == "utf-8"
    assert declared_charset(b"<p>none</p>") is None
    assert declared_charset(b'<meta charset="no-such-codec">') is None


@pytest.mark.parametrize(
    ("data", "error", "words"),
    [
        (b"", EmptyDocumentError, "empty"),
        (b" \r\n\t", EmptyDocumentError, "empty"),
        (b"%PDF-1.5 rest", BinaryContentError, "a PDF file"),
        (b"PK\x03\x04rest", BinaryContentError, "ZIP"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", BinaryContentError, "OLE"),
        (b"\x89PNG\r\n", BinaryContentError, "PNG"),
        (b"text\x00with nul", BinaryContentError, "NUL bytes"),
        (SIMPLIFIED.encode("utf-8")[:-1], TruncatedDocumentError, "truncated"),
        (SIMPLIFIED.encode("utf-8")[:10] + b"\xff" + SIMPLIFIED.encode("utf-8")[12:], DecodingError, "damaged"),
        (bytes([0x80, 0xFF, 0x81, 0xFE]) * 30, DecodingError, "not valid UTF-8"),
    ],
    ids=["empty", "blank", "pdf", "zip", "ole", "png", "nul", "truncated", "damaged-utf8", "undecodable"],
)
def test_decode_bytes_errors_name_the_source(data: bytes, error: type, words: str) -> None:
    with pytest.raises(error) as info:
        decode_bytes(data, "doc_x: mirror file texts/doc_x.txt")
    assert str(info.value).startswith("doc_x: mirror file texts/doc_x.txt: ")
    assert words in str(info.value)


# --------------------------------------------------------------------------- traditional → simplified


def test_traditional_detection() -> None:
    assert is_traditional(TRADITIONAL)
    assert not is_traditional(SIMPLIFIED)
    assert not is_traditional("An English text with no Han characters at all.")
    assert not is_traditional("")
    # a simplified text quoting one traditional name stays simplified
    assert not is_traditional(SIMPLIFIED * 3 + "（原名：臺灣示例會）")
    han, trad, simp = script_counts(TRADITIONAL)
    assert trad > 10 and simp == 0 and han == len([c for c in TRADITIONAL if "\u4e00" <= c <= "\u9fff"])


def test_to_simplified_converts_only_traditional() -> None:
    assert to_simplified(SIMPLIFIED) == (SIMPLIFIED, False)
    converted, done = to_simplified(TRADITIONAL)
    assert done and converted == SIMPLIFIED


# --------------------------------------------------------------------------- HTML extraction


def page(body: str) -> str:
    return f"<html><head><title>合成页面</title><script>var a='脚本';</script></head><body>{body}</body></html>"


def test_known_containers_in_order() -> None:
    assert BODY_CONTAINERS[0] == "#UCAP-CONTENT"
    html = page(
        f'<div class="TRS_Editor"><p>{SIMPLIFIED}</p></div><div id="UCAP-CONTENT"><p>正文甲：{SIMPLIFIED}</p></div>'
    )
    got = extract_html(html, "synthetic.htm")
    assert got.container == "#UCAP-CONTENT" and got.text.startswith("正文甲")


@pytest.mark.parametrize("selector", BODY_CONTAINERS)
def test_each_known_container_is_found(selector: str) -> None:
    attr = f'id="{selector[1:]}"' if selector.startswith("#") else f'class="x {selector[1:]} y"'
    got = extract_html(
        page(
            f'<div class="nav">首页 导航</div><div {attr}><p>{SIMPLIFIED}</p></div><div class="footer">版权所有</div>'
        ),
        "s.htm",
    )
    assert got.container == selector and got.text == SIMPLIFIED


def test_widgets_scripts_and_bars_inside_the_body_are_dropped() -> None:
    body = (
        '<div class="article-content"><p>第一段合成正文，用于测试。</p>'
        '<div class="bdshare_t">分享到：微信</div><script>统计();</script><style>p{}</style>'
        '<p>第二段<br>换行之后</p><p>【打印】 【关闭】</p><div id="print-bar">打印本页</div></div>'
    )
    got = extract_html(page(body), "s.htm")
    assert got.text == "第一段合成正文，用于测试。\n第二段\n换行之后"


def test_xml_declaration_is_accepted() -> None:
    html = '<?xml version="1.0" encoding="utf-8"?>' + page(f'<div class="xl_content"><p>{SIMPLIFIED}</p></div>')
    assert extract_html(html, "s.htm").text == SIMPLIFIED


def test_page_without_body_raises() -> None:
    with pytest.raises(NoDocumentBodyError) as info:
        extract_html(page('<div class="nav">首页</div><div id="UCAP-CONTENT"></div>'), "doc_y: http://127.0.0.1/y.htm")
    assert str(info.value).startswith("doc_y: http://127.0.0.1/y.htm: no document body")


def test_looks_like_html() -> None:
    assert looks_like_html("<!DOCTYPE html><html>")
    assert looks_like_html("  <html lang='zh'>")
    assert not looks_like_html("第一条 合成文本 <b>不是网页</b>")
