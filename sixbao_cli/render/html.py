"""A report layout as one self-contained, printable HTML page.

No scripts, no external fonts or stylesheets: the page opens from a mail
attachment or a shared drive, prints on A4 (landscape for the wide tables),
and picks a CJK font the reader's machine has.
"""

from __future__ import annotations

from html import escape

from sixbao_cli.render.layout import Cell, Layout, Table

_CSS = """
:root { --red: #c62828; --yellow: #f9a825; --green: #2e7d32; --ink: #1a1a1a; --rule: #d0d0d0; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "微软雅黑",
       "WenQuanYi Micro Hei", "SimSun", "宋体", sans-serif; color: var(--ink); margin: 2em auto; max-width: 78em;
       padding: 0 1.5em; line-height: 1.6; }
h1 { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "宋体", serif; text-align: center;
     font-size: 1.6em; color: var(--red); margin-bottom: .3em; }
.subtitle { text-align: center; color: #555; margin: 0 0 1.5em; }
.subtitle p { margin: .1em 0; }
h2 { font-size: 1.15em; border-bottom: 2px solid var(--red); padding-bottom: .2em; margin-top: 1.8em; }
table { border-collapse: collapse; width: 100%; margin: .6em 0 1em; font-size: .9em; }
th, td { border: 1px solid var(--rule); padding: .3em .5em; vertical-align: top; text-align: left; }
th { background: #f3f3f3; white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; }
tr { break-inside: avoid; }
.lamp { display: inline-block; width: .8em; height: .8em; border-radius: 50%; margin-right: .3em;
        vertical-align: -.05em; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
.lamp.red { background: var(--red); } .lamp.yellow { background: var(--yellow); } .lamp.green { background: var(--green); }
.bar { position: relative; width: 8em; height: .7em; background: #eee; border-radius: 2px; margin-top: .2em;
       print-color-adjust: exact; -webkit-print-color-adjust: exact; }
.bar .fill { position: absolute; left: 0; top: 0; bottom: 0; background: #1976d2; border-radius: 2px; }
.bar .mark { position: absolute; top: -.2em; bottom: -.2em; width: 2px; background: var(--ink); }
.pct { white-space: nowrap; }
ol { padding-left: 2em; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } @page { size: A4 landscape; margin: 12mm; } }
"""


def _clamp(value: float) -> float:
    return max(0.0, min(100.0, value))


def _cell(c: Cell) -> str:
    inner = escape(c.text)
    if c.bar:
        parts = [f'<div class="pct">{inner}</div><div class="bar" role="img" aria-label="{inner}">']
        if c.actual is not None:
            parts.append(f'<div class="fill" style="width:{_clamp(c.actual):.1f}%"></div>')
        if c.expected is not None:
            parts.append(f'<div class="mark" style="left:{_clamp(c.expected):.1f}%"></div>')
        parts.append("</div>")
        inner = "".join(parts)
    elif c.light:
        inner = f'<span class="lamp {c.light}"></span>{inner}'
    return f'<td class="num">{inner}</td>' if c.numeric else f"<td>{inner}</td>"


def _table(caption: str | None, table: Table) -> str:
    out = ["<table>"]
    if caption:
        out.append(f"<caption>{escape(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f"<th>{escape(c)}</th>" for c in table.columns) + "</tr></thead><tbody>")
    out += ["<tr>" + "".join(_cell(c) for c in row) + "</tr>" for row in table.rows]
    out.append("</tbody></table>")
    return "\n".join(out)


def to_html(doc: Layout) -> str:
    """The whole report as an HTML page."""
    html_lang = "en" if doc.lang == "en" else "zh-CN"
    out = ["<!DOCTYPE html>", f'<html lang="{html_lang}">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{escape(doc.title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
           f"<h1>{escape(doc.title)}</h1>", '<div class="subtitle">']
    out += [f"<p>{escape(line)}</p>" for line in doc.subtitle]
    out.append("</div>")
    for section in doc.sections:
        out.append(f"<section><h2>{escape(section.heading)}</h2>")
        out += [f"<p>{escape(p)}</p>" for p in section.paragraphs]
        out += [_table(caption, table) for caption, table in section.tables]
        if section.lines:
            out.append("<ol>" + "".join(f"<li>{escape(line)}</li>" for line in section.lines) + "</ol>")
        out.append("</section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
