"""The Markdown writer: ledger text shows as written, never as markup, and a table row stays one line."""

from __future__ import annotations

import pytest

from sixbao_cli.render.layout import Cell, Layout, Section, Table
from sixbao_cli.render.markdown import to_markdown


@pytest.mark.parametrize(("text", "shown"), [
    ("<b>加粗</b> *强调* 任务", r"\<b\>加粗\</b\> \*强调\* 任务"),
    ("<script>alert(1)</script>", r"\<script\>alert(1)\</script\>"),
    ("a_b `code` [链接](x) c\\d", r"a\_b \`code\` \[链接\](x) c\\d"),
    ("# 不是标题", r"\# 不是标题"),
    ("一 | 二", r"一 \| 二"),
    ("资金缺口大\n审批慢\r\n人员少", "资金缺口大<br>审批慢<br>人员少"),
    ("\n# 第二行像标题", r"<br>\# 第二行像标题"),
])
def test_cell_text_is_literal_and_keeps_the_row_whole(text, shown):
    table = Table(["名称", "问题"], [[Cell(text), Cell("—")]])
    doc = Layout("标题", ["截至"], [Section("一、情况", tables=[(None, table)])])
    rows = to_markdown(doc).split("| --- | --- |\n")[1].splitlines()
    assert rows[0] == f"| {shown} | — |"


def test_title_headings_paragraphs_and_lines_are_escaped_on_one_line():
    doc = Layout("# <i>通报</i>", ["范围：*市*人社局"], [Section("_一_", paragraphs=["表扬：[某局]\n第二行"],
                                                               lines=["# 要求 <b>"])])
    assert to_markdown(doc) == ("# \\# \\<i\\>通报\\</i\\>\n\n范围：\\*市\\*人社局\n\n## \\_一\\_\n\n"
                                "表扬：\\[某局\\] 第二行\n\n1. \\# 要求 \\<b\\>\n")


def test_a_task_title_with_markup_through_the_cli(cli, sqlite_url):
    cli.ok("unit", "add", "县人社局")
    cli.ok("task", "add", "<b>加粗</b> *强调* 任务", "-c", "就业", "-l", "县人社局", "--start", "2020-06-01",
           "-d", "2020-09-30")
    md = cli.ok("report", "overdue", "-u", "县人社局", "--format", "markdown").stdout
    assert "<b>" not in md and r"\<b\>加粗\</b\> \*强调\* 任务" in md
