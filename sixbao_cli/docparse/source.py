"""A plan's file as text, and that text as logical paragraphs.

Plans arrive as plain text copied out of a PDF (page breaks cut sentences in
two: "对不符" / "件的，包括…") or out of a web page (furniture such as
"字体:【 打印" and "扫一扫在手机打开当前页"). :func:`decode` turns the file's
bytes into text, :func:`clean_line` tidies one line's spacing, and
:func:`paragraphs` rebuilds the paragraphs the author wrote, each with the
line it starts on.
"""

from __future__ import annotations

import re

from sixbao_cli.docparse.markers import RESPONSIBILITY_LABEL, is_structural
from sixbao_cli.docparse.model import Paragraph, ParseWarning
from sixbao_cli.errors import InvalidInput

# --- decoding -----------------------------------------------------------------

# Notepad's "Unicode" is UTF-16 with a byte-order mark: unambiguous, so it is
# read rather than refused as "NUL bytes".
_UTF16_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_OFFICE_SIGNATURES = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "DOCX/XLSX/ZIP"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "DOC/XLS/WPS"),
    (b"{\\rtf", "RTF"),
)
_ODD_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ue000-\uf8ff]")
_NOT_BLANK = re.compile(r"[^\s\u200b-\u200d\u2060\ufeff]")


def decode(data: bytes, *, name: str) -> str:
    """The text of a plan file, with newlines normalised to ``\\n``.

    Tries UTF-8 (with or without BOM) and then GB18030; encoding detectors
    misjudge short Chinese texts, so none is used. Raises :class:`InvalidInput`
    with ``doc.binary_office`` for a PDF/Word/Excel file, ``doc.not_text`` for
    any other binary file and ``doc.empty`` when there is no text at all.
    """
    for signature, kind in _OFFICE_SIGNATURES:
        if data.startswith(signature):
            raise InvalidInput("doc.binary_office", file=name, kind=kind)
    text = _decode_text(data, name)
    # Old DOS editors end a file with Ctrl-Z.
    text = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\x1a")
    visible = _NOT_BLANK.findall(text)
    if not visible:
        raise InvalidInput("doc.empty", file=name)
    # A stray control character happens in copied text; one character in ten
    # means binary data that decoded by accident (GB18030 accepts a great many
    # byte sequences).
    if len(_ODD_CHARS.findall(text)) * 10 > len(visible):
        raise InvalidInput("doc.not_text", file=name)
    if re.match(r"\s*(?:<!doctype\s+html|<html|<\?xml)", text[:512], re.I):
        raise InvalidInput("doc.html", file=name)  # a web page saved as .txt: its markup would be read as the plan
    return text


def _decode_text(data: bytes, name: str) -> str:
    for bom, codec in _UTF16_BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec)
            except UnicodeDecodeError:
                raise InvalidInput("doc.not_text", file=name) from None
    if b"\x00" in data:
        raise InvalidInput("doc.not_text", file=name)
    for codec in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    raise InvalidInput("doc.not_text", file=name)


# --- one line -------------------------------------------------------------------

# Zero-width characters, and controls other than the white space ones (those become spaces below).
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_ODD_SPACES = re.compile(r"[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_BOLD = re.compile(r"\*{2,}")


def clean_line(line: str) -> str:
    """One line with its spacing tidied: odd spaces become one plain space, the ends are stripped.

    NBSP, the ideographic space (U+3000), en/em spaces and tabs count as
    spaces; zero-width characters, stray control characters and Markdown bold
    markers (``**``) are removed. Punctuation is left as written.
    """
    if line.isprintable() and "**" not in line and "  " not in line:
        return line.strip(" ")  # nothing odd in it: the common case, kept fast
    line = _INVISIBLE.sub("", line)
    line = _BOLD.sub("", line)
    return _ODD_SPACES.sub(" ", line).strip()


# --- web-page furniture and page numbers ----------------------------------------------

_FURNITURE_TOKEN = (
    r"(?:字体|字号)(?:\s*[:：]\s*)?(?:[【\[]?\s*大\s*中\s*小\s*[】\]]?)?"
    r"|打印(?:此页|本页|本文|文章|页面)?|关闭(?:窗口|本页|页面)?|收藏(?:本页)?|返回顶部"
    r"|分享(?:到)?|扫码浏览|扫一扫在手机(?:上)?打开(?:当前页|本页)?|扫一扫"
    r"|(?:浏览量|浏览次数|阅读量|阅读次数|访问量|点击量|点击数|点击率)(?:\s*[:：]\s*\d*)?"
)
_FURNITURE = re.compile(rf"(?:[\s|｜/【】\[\]:：]*(?:{_FURNITURE_TOKEN}))+[\s|｜/【】\[\]:：]*")
_FURNITURE_LINE = re.compile(r"^(?:.{0,24}欢迎(?:您|你)?的?访问.{0,6}|(?:上一篇|下一篇|当前位置)\s*[:：].*)$")
_PAGE_NUMBER = re.compile(r"^(?:[-—–－─]{1,2}\s*\d{1,4}\s*[-—–－─]{1,2}|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?)$")
_FURNITURE_MAX = 60


def is_furniture(line: str) -> bool:
    """Is this cleaned line web-page furniture or a page number, not part of the plan?

    Metadata lines (索引号, 发布机构, 生成日期, 文件编号 …) are not furniture:
    the document parser reads them.
    """
    if not line or len(line) > _FURNITURE_MAX:
        return False
    return bool(_FURNITURE.fullmatch(line) or _FURNITURE_LINE.match(line) or _PAGE_NUMBER.match(line))


# --- paragraphs ---------------------------------------------------------------------

# Web-page metadata: one field per line, never part of a neighbouring paragraph.
_HEADER_FIELD = re.compile(
    r"^(?:索引号|主题分类|发布机构|发文机关|发文单位|生成日期|成文日期|发文日期|发布日期|发布时间"
    r"|文件编号|发文字号|文号|有效性|公开方式|公开范围|信息来源|来源|所属机构|主题词)\s*[:：]"
)
# A responsibility note on its own line belongs to the task before it.
_NOTE = re.compile(r"^[（(〔\[【［]\s*(?:责任单位|责任部门|牵头单位|牵头部门|配合单位)\s*[:：]")
_UNIT_LABELS = frozenset({"责任领导", "负责领导", "牵头单位", "牵头部门", "配合单位", "配合部门",
                          "协同单位", "协助单位", "责任单位", "责任部门"})
_TERMINAL = frozenset("。！？；：）〕】…!?;:.)]］")
_CLOSING_QUOTES = frozenset("”’」』")
_SENTENCE_END = re.compile(r"[。！？；!?;]")
_SENTENCE_PUNCT = re.compile(r"[，。！？；,!?;]")
_OPENERS = "（(〔[【［"
_BRACKETS = re.compile(r"[（(〔\[【［）)〕\]】］]")
_ASCII_WORD = re.compile(r"[A-Za-z0-9_]")
_LONG_LINE = 30


def paragraphs(text: str) -> tuple[list[Paragraph], list[ParseWarning]]:
    """The plan's logical paragraphs, rejoined across page breaks, and the warnings met.

    Blank lines separate paragraphs; furniture and page numbers are dropped as
    if absent. Consecutive lines form one paragraph unless the next line opens a
    new unit (a heading, a numbered item, a label, a metadata field), the line
    before ends a sentence, or the next line is an addressee line (…：) after a
    title. Across blank lines, the next line continues the paragraph before when
    that one is unfinished prose, an unfinished list of units, or an unclosed
    bracket the next line closes. A paragraph left with an unclosed bracket is
    reported as ``doc.unclosed_paragraph``.
    """
    builder = _Builder()
    gap = False
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        line = clean_line(raw)
        if not line:
            gap = True
        elif not is_furniture(line):
            builder.add(line, number, gap)
            gap = False
    builder.close()
    return builder.paragraphs, builder.warnings


# The masthead of an official document: "某某市人民政府文件" and its 文号 line.
_MASTHEAD = re.compile(r"^(?:.{2,30}文件|[\u4e00-\u9fa5]{1,12}\s*[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d{1,4}\s*号)$")
_DATE_LINE = re.compile(r"^[（(]?\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:印发)?\s*[）)]?$")


class _Builder:
    """The paragraph being built and the facts the joining rules ask about it."""

    def __init__(self) -> None:
        self.paragraphs: list[Paragraph] = []
        self.warnings: list[ParseWarning] = []
        self.parts: list[str] = []

    def add(self, line: str, number: int, gap: bool) -> None:
        # A date line — "(2020年6月10日)" under the title, the signature's date,
        # "…日印发" — and the masthead lines stand alone even without blank lines around them.
        header = bool(_HEADER_FIELD.match(line) or _DATE_LINE.match(line) or _MASTHEAD.match(line))
        opens_unit = header or is_structural(line)
        if self.parts and self._continues(line, gap, opens_unit):
            self._append(line, number)
        else:
            self.close()
            self._start(line, number, header, opens_unit)

    def _start(self, line: str, number: int, header: bool, opens_unit: bool) -> None:
        self.parts = [line]
        self.start = number
        self.end = number
        self.last = line
        self.header = header
        self.opens_unit = opens_unit
        label = RESPONSIBILITY_LABEL.match(line) if opens_unit else None
        self.unit_list = bool(label and label.group(1) in _UNIT_LABELS)
        self.has_punct = bool(_SENTENCE_PUNCT.search(line))
        self.has_sentence = bool(_SENTENCE_END.search(line))
        self.depth = _bracket_depth(0, line)[0]

    def _append(self, line: str, number: int) -> None:
        if _ASCII_WORD.match(self.last[-1]) and _ASCII_WORD.match(line[0]):
            self.parts.append(" ")
        self.parts.append(line)
        self.end = number
        self.last = line
        self.has_punct = self.has_punct or bool(_SENTENCE_PUNCT.search(line))
        self.has_sentence = self.has_sentence or bool(_SENTENCE_END.search(line))
        self.depth = _bracket_depth(self.depth, line)[0]

    def _continues(self, line: str, gap: bool, opens_unit: bool) -> bool:
        if self.header:
            return False
        if _NOTE.match(line):
            return True
        if opens_unit:
            return False
        if not gap:
            addressee = line[-1] in "：:" and not self.has_punct
            return not (_ends_sentence(self.last) or addressee)
        if self.depth and _bracket_depth(self.depth, line)[1]:
            return True
        if _ends_sentence(self.last):
            return False
        # A full line that breaks off mid-sentence; a title of that length has
        # no sentence punctuation and no item number.
        long_line = len(self.last) >= _LONG_LINE and (self.has_punct or self.opens_unit)
        prose = self.has_sentence or long_line
        return prose or self.unit_list

    def close(self) -> None:
        if not self.parts:
            return
        text = "".join(self.parts)
        self.paragraphs.append(Paragraph(text=text, line=self.start))
        if self.depth:
            self.warnings.append(ParseWarning(self.end, "doc.unclosed_paragraph", {"text": text[-20:]}))
        self.parts = []


def _ends_sentence(line: str) -> bool:
    """Does the line end a sentence or a unit? A closing quote does only after a full stop: 。”"""
    last = line[-1]
    if last in _CLOSING_QUOTES:
        return len(line) > 1 and line[-2] in "。！？；…!?;."
    return last in _TERMINAL


def _bracket_depth(depth: int, line: str) -> tuple[int, bool]:
    """The open-bracket depth after ``line``, and whether the line closed one opened before it."""
    closed_earlier = False
    local = 0  # brackets this line opened and has not closed yet
    for match in _BRACKETS.finditer(line):
        if match.group() in _OPENERS:
            depth += 1
            local += 1
        elif local:
            depth -= 1
            local -= 1
        # A closer with nothing open closes nothing: a stray "）", the "十八)" of a misprinted item.
        elif depth:
            depth -= 1
            closed_earlier = True
    return depth, closed_earlier
