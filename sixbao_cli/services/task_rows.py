"""Reading a 台账 sheet's rows into checked plans: what each row will write, every problem with row and column.

The rows are read first (cells only), heading rows such as 一、保居民就业 and
merged 类别 cells giving the category of the rows below them. What they name
is then looked up in bulk, a query per thousand names: tasks by code (rows
without one: by exact title), units through their names and aliases, source
documents, the categories the ledger uses. Each row is merged with its task as
the ledger holds it and checked as ``task add`` and ``task edit`` check; the
checks across rows (one row per task, parents) follow, and every problem is
raised together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection

from sixbao_cli import categories
from sixbao_cli import tables as T
from sixbao_cli.errors import Conflict, InvalidInput, NotFound, SixbaoError
from sixbao_cli.messages import t
from sixbao_cli.services import task_sheet as cells
from sixbao_cli.services.import_problems import Problems
from sixbao_cli.services.task_model import Current, Planned, TaskImport, TaskImportOptions, changes, chunks, load_current
from sixbao_cli.services.tasks import check_milestones, is_code, new_code, normalize_code
from sixbao_cli.services.units import find_units, resolve_unit
from sixbao_cli.sheets.cells import is_blank, read_date, read_text
from sixbao_cli.sheets.header import column_letter
from sixbao_cli.sheets.source import Sheet
from sixbao_cli.vocab import parse_status


@dataclass
class _Row:
    number: int
    cells: dict[str, object]  # field -> the cell, blank ones left out
    context: str | None  # the category of the heading or merged 类别 cell above


class SheetReader:
    """Reads a sheet's rows, looks up what they name, and plans each task's write; problems go to ``problems``."""

    def __init__(self, conn: Connection, sheet: Sheet, opts: TaskImportOptions, result: TaskImport, *, today: date,
                 on_progress=None):
        self.conn = conn
        self.sheet = sheet
        self.opts = opts
        self.result = result
        self.today = today
        self.on_progress = on_progress
        self.problems = Problems(sheet.name)
        columns = dict(sheet.layout.columns)
        if "title" not in columns and "body" in columns:
            columns["title"] = columns.pop("body")  # a sheet whose only task text is 工作内容: that is the title
        self.columns = columns
        self.new_units: dict[str, str] = {}  # normalised name -> the name as first written (--create-units)
        self.new_documents: dict[str, int | None] = {}  # title -> id once written
        self._items: dict[str, list[str]] = {}

    # --- problems ---------------------------------------------------------------------------------

    def letter(self, name: str | None) -> str:
        return column_letter(self.columns[name]) if name in self.columns else ""

    def header(self, name: str) -> str:
        return self.sheet.layout.headers[self.columns[name]]

    def problem(self, kind: str, row: int, name: str | None, error: SixbaoError) -> None:
        self.problems.add(kind, row, self.letter(name), error)

    # --- 1. the rows ------------------------------------------------------------------------------

    def plan(self) -> list[Planned]:
        """Every task row's plan; raises when the file has any problem."""
        if "title" not in self.columns:
            raise InvalidInput("import.missing_column", file=self.sheet.name, row=self.sheet.layout.row,
                               column=t("taskimport.col_title"),
                               headers=t("sep.list").join(h for h in self.sheet.layout.headers if h))
        try:
            rows = self._rows()
        except InvalidInput as exc:  # the file cannot be read on: said with what was found before
            if not exc.key.startswith("sheet.") or not self.problems.count:
                raise
            self.problems.stop(int(exc.params.get("row", 0)), exc)
            self.problems.raise_if_any()
        self.result.rows = len(rows)
        if not rows and not self.problems.count:
            raise InvalidInput("import.no_rows", file=self.sheet.name, row=self.sheet.layout.row)
        self._look_up(rows)
        plans = [p for p in (self._plan_row(r) for r in rows) if p is not None]
        self._check_identities(plans)
        if "parent" in self.columns:
            self._check_parents(plans)
        self.problems.raise_if_any()
        return plans

    def _rows(self) -> list[_Row]:
        out: list[_Row] = []
        context = None
        in_footer = False
        index = self.columns.items()
        title_at = self.columns["title"]
        for row in self.sheet.rows():
            if self.on_progress is not None and row.number % 1000 == 0:
                self.on_progress(self.sheet.fraction())
            raw = row.cells
            filled = [i for i, c in enumerate(raw) if not is_blank(c)]
            found = {f: raw[i] for f, i in index if i < len(raw) and not is_blank(raw[i])}
            if row.footer:
                # the row that ends the table (合计 3项, 备注：…) is passed over; one after it naming a task is refused
                if in_footer and not row.label and "title" in found and len(found) > 1:
                    self.problem("rows", row.number, None, InvalidInput("taskimport.row_after_footer"))
                else:
                    self.result.footer_rows += 1
                in_footer = True
                continue
            if len(filled) == 1:
                # 一、保居民就业 across the table (its category is the rows' below), or a note: not a task, unless
                # the one cell is a title, or a code
                text = read_text(raw[filled[0]]) or ""
                heading = cells.heading_category(text)
                task_cell = filled[0] == title_at or (filled[0] == self.columns.get("code") and is_code(text))
                if heading is not None or not task_cell:
                    context = heading or context
                    self.result.headings += 1
                    continue
            if not found:
                continue
            if "category" in found:
                context = categories.lookup(read_text(found["category"]) or "") or context
            out.append(_Row(row.number, found, context))
        if self.on_progress is not None:
            self.on_progress(1.0)
        return out

    def text(self, row: _Row, name: str) -> str | None:
        cell = row.cells.get(name)
        return None if cell is None else read_text(cell)

    def unit_items(self, text: str) -> list[str]:
        if text not in self._items:
            self._items[text] = cells.unit_items(text)
        return self._items[text]

    # --- 2. what the rows name, looked up in bulk ----------------------------------------------------

    def _look_up(self, rows: list[_Row]) -> None:
        conn = self.conn
        task = T.task
        codes = {normalize_code(c) for r in rows if (c := self.text(r, "code"))}
        titles = {title for r in rows if not self.text(r, "code") and (title := self.text(r, "title"))}
        ids: set[int] = set()
        for chunk in chunks(codes):
            ids.update(conn.execute(select(task.c.id).where(task.c.code.in_(chunk))).scalars())
        by_title: dict[str, list[int]] = {}
        for chunk in chunks(titles):
            for tid, title in conn.execute(select(task.c.id, task.c.title).where(task.c.title.in_(chunk))):
                by_title.setdefault(title, []).append(tid)
                ids.add(tid)
        self.current = load_current(conn, sorted(ids))
        self.by_code = {c.code: c for c in self.current.values()}
        self.by_title = {title: sorted((self.current[i] for i in tids), key=lambda c: c.code)
                         for title, tids in by_title.items()}
        keys: set[str] = set()
        for r in rows:
            for name in ("lead", "support"):
                text = self.text(r, name)
                if text and not cells.says_none(text):
                    items = self.unit_items(text)
                    keys.update(items)
                    keys.update(cells.joins(items))
        self.unit_ids = find_units(conn, keys)
        self.unit_names: dict[int, str] = {}
        for chunk in chunks(set(self.unit_ids.values())):
            self.unit_names.update(conn.execute(select(T.unit.c.id, T.unit.c.name).where(T.unit.c.id.in_(chunk))).all())
        self.known_keys = set(self.unit_ids)
        docs = {d for r in rows if (d := self.text(r, "document")) and not cells.says_none(d)}
        by_number: dict[str, int] = {}
        named: dict[str, int] = {}
        d = T.document
        for chunk in chunks(docs):  # what export writes: the 文号, or the title of a plan without one
            for did, number, title in conn.execute(select(d.c.id, d.c.doc_number, d.c.title).where(
                    or_(d.c.doc_number.in_(chunk), d.c.title.in_(chunk))).order_by(d.c.id)):
                if number in docs:
                    by_number.setdefault(number, did)
                if title in docs:
                    named.setdefault(title, did)
        self.documents = {**named, **by_number}  # a 文号 first
        self.ledger_categories = set(conn.execute(select(task.c.category).distinct()).scalars())

    # --- 3. each row against its task ----------------------------------------------------------------

    def _plan_row(self, row: _Row) -> Planned | None:
        n = row.number
        ok = True
        code_text = self.text(row, "code")
        code = normalize_code(code_text) if code_text else None
        title = self.text(row, "title")
        if title is not None and cells.says_none(title):
            title = None
        current = self.by_code.get(code) if code else None
        by_title = False
        if code is None and title is not None:
            found = self.by_title.get(title, [])
            if len(found) > 1:
                self.problem("title", n, "title", InvalidInput(
                    "taskimport.title_ambiguous", title=title, codes=t("sep.list").join(c.code for c in found)))
                return None
            if found:
                current, code, by_title = found[0], found[0].code, True
        if current is None and code is not None:
            try:
                code = new_code(code_text)
            except InvalidInput as exc:
                self.problem("rows", n, "code", exc)
                ok = False
        given: dict[str, object] = {}
        if title is not None:
            given["title"] = title
        elif current is None:
            self.problem("rows", n, "title", InvalidInput("taskimport.no_title", column=self.header("title")))
            ok = False
        for name, key in (("body", "body"), ("number", "number"), ("deadline_text", "deadline_text")):
            text = self.text(row, name)
            if text is not None:
                given[key] = None if cells.says_none(text) else text
        ok = self._category(row, current, given) and ok
        ok = self._document(row, given) and ok
        ok = self._units(row, current, given) and ok
        leaders = self.text(row, "leaders")
        if leaders is not None:
            given["leaders"] = [] if cells.says_none(leaders) else cells.split_names(leaders)
        ok = self._dates(row, current, given) and ok
        status = "not_started"
        text = self.text(row, "status")
        if text and not cells.says_none(text):
            try:
                status = parse_status(text)
            except InvalidInput as exc:
                self.problem("rows", n, "status", exc)
                ok = False
        parent = self.text(row, "parent")
        if parent is not None:
            given["parent"] = None if cells.says_none(parent) else normalize_code(parent)
        if not ok:
            return None
        plan = self._merge(row, code, current, given)
        if plan is None:
            return None
        if by_title:
            self.result.matched_by_title.append(current.code)
        if current is None:
            plan.status = status
        elif text and status != current.status and not cells.says_none(text):
            self.result.status_kept.append(current.code)
        return plan

    def _category(self, row: _Row, current: Current | None, given: dict) -> bool:
        text = self.text(row, "category")
        if text is not None and not cells.says_none(text):
            found = categories.lookup(text) or (categories.canonical(text) if categories.canonical(text) in
                                                self.ledger_categories else None)
            if found is None:
                self.problem("rows", row.number, "category", InvalidInput(
                    "taskimport.unknown_category", field=self.header("category"), value=text,
                    choices=categories.choices()))
                return False
            # a task filed under a short form by an older version (粮食能源) keeps it when the sheet names its 保:
            # restating a category is no change (an export goes back in unchanged); task edit -c refiles it
            given["category"] = current.category if current and categories.canonical(current.category) == found \
                else found
        elif current is None:
            if row.context is None:
                self.problem("rows", row.number, "category" if "category" in self.columns else None,
                             InvalidInput("taskimport.no_category"))
                return False
            given["category"] = row.context
            self.result.carried_categories += 1
        return True

    def _document(self, row: _Row, given: dict) -> bool:
        text = self.text(row, "document")
        if text is not None:
            given["document"] = None if cells.says_none(text) else text
        return True

    def _units(self, row: _Row, current: Current | None, given: dict) -> bool:
        ok = True
        for name, key in (("lead", "leads"), ("support", "supports")):
            text = self.text(row, name)
            if text is None:
                continue
            if cells.says_none(text):
                given[key] = []
                continue
            names = []
            for item in cells.join_known(self.unit_items(text), self.known_keys):
                uid = self.unit_ids.get(item)
                if uid is not None:
                    names.append(self.unit_names[uid])
                elif self.opts.create_units:
                    names.append(self.new_units.setdefault(item, item))
                else:
                    ok = False
                    error: SixbaoError = NotFound("unit.unknown", name=item)
                    if self.problems.wants("unit"):  # suggestions cost queries: only for problems shown
                        try:
                            resolve_unit(self.conn, item, can_create=True)
                        except NotFound as exc:
                            error = exc
                    self.problem("unit", row.number, name, error)
            given[key] = list(dict.fromkeys(names))
        if not ok:
            return False
        leads = given.get("leads", current.leads if current else [])
        supports = given.get("supports", current.supports if current else [])
        both = [u for u in supports if u in leads]
        if both:
            self.problem("rows", row.number, "support" if "supports" in given else "lead",
                         InvalidInput("task.unit_both_roles", name=both[0]))
            return False
        if current is not None and current.leads and "leads" in given and not given["leads"]:
            self.problem("rows", row.number, "lead", InvalidInput("taskimport.lead_cleared"))
            return False
        return True

    def _dates(self, row: _Row, current: Current | None, given: dict) -> bool:
        """Start, deadline (a date or a phrase) and milestones; the year of phrases from --year, the start, or today."""
        n, ok = row.number, True
        start_cell = row.cells.get("start")
        if start_cell is not None and not (isinstance(start_cell, str) and cells.says_none(start_cell)):
            try:
                given["start"] = read_date(start_cell, field=self.header("start"), today=self.today)
            except InvalidInput as exc:
                self.problem("rows", n, "start", exc)
                ok = False
        start = given.get("start") or (current.start if current else None)
        year = self.opts.year or (start.year if isinstance(start, date) else self.today.year)
        used_year = False
        cell = row.cells.get("deadline")
        if cell is not None:
            if isinstance(cell, str) and cells.says_none(cell):
                given["deadline"], given["deadline_phrase"] = None, None
            else:
                try:
                    day, words, needed = cells.read_deadline(cell, field=self.header("deadline"), year=year,
                                                             today=self.today)
                except InvalidInput as exc:
                    self.problem("rows", n, "deadline", exc)
                    ok = False
                else:
                    given["deadline"], given["deadline_phrase"] = day, words
                    used_year = used_year or needed
        text = self.text(row, "milestones")
        if text is not None:
            if cells.says_none(text):
                given["milestones"] = []
            else:
                try:
                    given["milestones"], needed = cells.read_milestones(
                        text, field=self.header("milestones"), year=year, today=self.today)
                    used_year = used_year or needed
                except InvalidInput as exc:
                    self.problem("rows", n, "milestones", exc)
                    ok = False
        text = self.text(row, "target")
        if text is not None:
            if cells.says_none(text):
                given["targets"] = []
            else:
                try:
                    given["targets"] = cells.read_targets(text)
                except InvalidInput as exc:
                    self.problem("rows", n, "target", exc)
                    ok = False
        if used_year and not self.opts.year and start is None:
            self.result.default_year = year
            self.result.default_year_rows += 1
        return ok

    def _merge(self, row: _Row, code: str | None, current: Current | None, given: dict) -> Planned | None:
        """The task's state after the row, checked as ``task add`` / ``task edit`` check it."""
        n = row.number
        if current is None:
            state: dict[str, object] = dict(
                title=None, body=None, category=None, number=None, document=None, leads=[], supports=[], leaders=[],
                start=None, deadline=None, deadline_text=None, targets=[], milestones=[], parent=None)
        else:
            state = dict(
                title=current.title, body=current.body, category=current.category, number=current.number,
                document=current.document, leads=current.leads, supports=current.supports, leaders=current.leaders,
                start=current.start, deadline=current.deadline, deadline_text=current.deadline_text,
                targets=[current.target] if current.target else [], milestones=current.milestones,
                parent=current.parent)
        phrase = given.pop("deadline_phrase", None)
        if "deadline" in given:
            moved = current is None or given["deadline"] != current.deadline
            if "deadline_text" not in given:
                # the words the deadline was read from; a plain date that moves the deadline drops the old words
                if phrase is not None or moved:
                    given["deadline_text"] = phrase
            elif current is not None and _same_words(given["deadline_text"], current.deadline_text) and (
                    moved or (phrase is not None and not _same_words(phrase, current.deadline_text))):
                # 完成时限 changed and 时限原文 still holds the ledger's words (an export edited in one column): those
                # words are of the old deadline, and the new one is read from what 完成时限 says
                given["deadline_text"] = phrase
        state.update(given)
        if state["start"] is None:
            dates = [d for d in [state["deadline"], *(m.due for m in state["milestones"])] if d is not None]
            earliest = min(dates, default=None)
            state["start"] = self.today if earliest is None or earliest >= self.today else date(earliest.year, 1, 1)
            self.result.default_starts += 1
        start, deadline = state["start"], state["deadline"]
        if deadline is not None and deadline < start:
            self.problem("rows", n, "deadline" if "deadline" in given else "start",
                         InvalidInput("task.deadline_before_start", deadline=deadline, start=start))
            return None
        try:
            check_milestones(state["milestones"], start, deadline)
        except InvalidInput as exc:
            column = "milestones" if "milestones" in given else "deadline" if "deadline" in given else "start"
            self.problem("rows", n, column, exc)
            return None
        if "document" in given:
            document_id = self.documents.get(state["document"]) if state["document"] else None
        else:
            document_id = current.document_id if current else None
        plan = Planned(n, code, current, state, document_id=document_id)
        if current is None:
            if state["document"] and document_id is None:
                self.new_documents.setdefault(state["document"], None)
            return plan
        if "start" in given and current.first_report and current.first_report < start:
            self.problem("rows", n, "start", InvalidInput("task.start_after_progress", start=start,
                                                          first=current.first_report))
            return None
        plan.changes = changes(current, state, document_id)
        if plan.changes and state["document"] and document_id is None:
            self.new_documents.setdefault(state["document"], None)
        if plan.changes and current.status == "closed":
            self.problem("closed", n, None, Conflict(
                "taskimport.closed", code=current.code,
                fields=t("sep.list").join(t(f"field.{f}") for f, _, _ in plan.changes)))
            return None
        return plan

    # --- 4. across rows ------------------------------------------------------------------------------------

    def _check_identities(self, plans: list[Planned]) -> None:
        """One row per task: the same code twice, or a title that finds a task another row names."""
        first: dict[str, int] = {}
        for p in plans:
            if p.code is None:
                continue
            if p.code in first:
                self.problem("duplicate", p.row, "code" if "code" in self.columns else "title", InvalidInput(
                    "taskimport.duplicate_code", code=p.code, first=first[p.code]))
            else:
                first[p.code] = p.row

    def _check_parents(self, plans: list[Planned]) -> None:
        """A parent must be a task of the ledger or of the file, and no task its own ancestor."""
        task, parent = T.task, T.task.alias("parent")
        wanted = {p.state["parent"] for p in plans if p.state.get("parent")}
        in_file = {p.code for p in plans if p.code}
        known = set()
        for chunk in chunks(wanted - in_file):
            known.update(self.conn.execute(select(task.c.code).where(task.c.code.in_(chunk))).scalars())
        parents = dict(self.conn.execute(
            select(task.c.code, parent.c.code).join(parent, parent.c.id == task.c.parent_id)).all())
        parents.update({p.code: p.state["parent"] for p in plans if p.code})
        for p in plans:
            wanted_parent = p.state.get("parent")
            if not wanted_parent or (p.current is not None and wanted_parent == p.current.parent):
                continue
            if wanted_parent not in in_file and wanted_parent not in known:
                self.problem("parent", p.row, "parent", NotFound("taskimport.unknown_parent", code=wanted_parent))
                continue
            seen, at = {p.code}, wanted_parent
            while at is not None and at not in seen:
                seen.add(at)
                at = parents.get(at)
            if at is not None and p.code is not None:
                self.problem("parent", p.row, "parent", InvalidInput("taskimport.parent_cycle", code=p.code,
                                                                     parent=wanted_parent))


def _same_words(a: str | None, b: str | None) -> bool:
    """Two 时限原文 say the same (blank is none), as the history compares them."""
    return ((a or "").strip() or None) == ((b or "").strip() or None)
