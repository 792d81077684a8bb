"""The ledger: plans, units, tasks, progress, import batches, task history, settings.

Also what the models cannot declare: full-text search over tasks (SQLite FTS5
trigram / PostgreSQL pg_trgm) and triggers that keep progress entries append-only.

Revision ID: 0001_ledger
Revises: 
Create Date: 2026-11-21
"""

from alembic import op
import sqlalchemy as sa


revision = '0001_ledger'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('doc_number', sa.String(), nullable=True),
    sa.Column('issuer', sa.String(), nullable=True),
    sa.Column('issue_date', sa.Date(), nullable=True),
    sa.Column('level', sa.String(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('source_name', sa.String(), nullable=True),
    sa.Column('checksum', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("level IN ('province', 'city', 'county', 'district', 'other')", name=op.f('ck_document_level')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document')),
    sa.UniqueConstraint('checksum', name=op.f('uq_document_checksum'))
    )
    op.create_table('setting',
    sa.Column('key', sa.String(), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('region', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['unit.id'], name=op.f('fk_unit_parent_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit')),
    sa.UniqueConstraint('name', name=op.f('uq_unit_name'))
    )
    op.create_table('import_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('file_name', sa.String(), nullable=False),
    sa.Column('checksum', sa.String(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_import_batch_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batch'))
    )
    op.create_index(op.f('ix_import_batch_checksum'), 'import_batch', ['checksum'], unique=False)
    op.create_table('task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(), nullable=False),
    sa.Column('category', sa.String(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('annex', sa.String(), nullable=True),
    sa.Column('section', sa.String(), nullable=True),
    sa.Column('number', sa.String(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('deadline_text', sa.String(), nullable=True),
    sa.Column('target_metric', sa.String(), nullable=True),
    sa.Column('target_value', sa.Float(), nullable=True),
    sa.Column('target_unit', sa.String(), nullable=True),
    sa.Column('target_comparator', sa.String(), nullable=True),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('not_started', 'in_progress', 'completed', 'closed', 'suspended')", name=op.f('ck_task_status')),
    sa.CheckConstraint("target_comparator IN ('>=', '<=', '=')", name=op.f('ck_task_target_comparator')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_task_document_id_document')),
    sa.ForeignKeyConstraint(['parent_id'], ['task.id'], name=op.f('fk_task_parent_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task')),
    sa.UniqueConstraint('code', name=op.f('uq_task_code'))
    )
    op.create_index(op.f('ix_task_category'), 'task', ['category'], unique=False)
    op.create_index(op.f('ix_task_deadline'), 'task', ['deadline'], unique=False)
    op.create_index(op.f('ix_task_document_id'), 'task', ['document_id'], unique=False)
    op.create_index(op.f('ix_task_parent_id'), 'task', ['parent_id'], unique=False)
    op.create_index(op.f('ix_task_status'), 'task', ['status'], unique=False)
    op.create_table('unit_alias',
    sa.Column('alias', sa.String(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_unit_alias_unit_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('alias', name=op.f('pk_unit_alias'))
    )
    op.create_index(op.f('ix_unit_alias_unit_id'), 'unit_alias', ['unit_id'], unique=False)
    op.create_table('milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('expected_percent', sa.Float(), nullable=True),
    sa.Column('expected_value', sa.Float(), nullable=True),
    sa.Column('note', sa.String(), nullable=True),
    sa.CheckConstraint('expected_percent IS NULL OR (expected_percent >= 0 AND expected_percent <= 100)', name=op.f('ck_milestone_percent')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_milestone_task_id_task'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestone')),
    sa.UniqueConstraint('task_id', 'due_date', name=op.f('uq_milestone_task_id_due_date'))
    )
    op.create_table('progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('report_date', sa.Date(), nullable=False),
    sa.Column('percent', sa.Float(), nullable=True),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('problems', sa.Text(), nullable=True),
    sa.Column('next_steps', sa.Text(), nullable=True),
    sa.Column('reporter', sa.String(), nullable=True),
    sa.Column('source', sa.String(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source IN ('manual', 'import')", name=op.f('ck_progress_source')),
    sa.CheckConstraint('percent IS NOT NULL OR value IS NOT NULL', name=op.f('ck_progress_measure')),
    sa.CheckConstraint('percent IS NULL OR (percent >= 0 AND percent <= 100)', name=op.f('ck_progress_percent')),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_progress_batch_id_import_batch')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['progress.id'], name=op.f('fk_progress_supersedes_id_progress')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_progress_task_id_task')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_progress_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress')),
    sa.UniqueConstraint('supersedes_id', name=op.f('uq_progress_supersedes_id'))
    )
    op.create_index(op.f('ix_progress_batch_id'), 'progress', ['batch_id'], unique=False)
    op.create_index('ix_progress_task_id_report_date', 'progress', ['task_id', 'report_date'], unique=False)
    op.create_index('ix_progress_unit_id_report_date', 'progress', ['unit_id', 'report_date'], unique=False)
    op.create_table('task_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_task_change_task_id_task'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_change'))
    )
    op.create_index(op.f('ix_task_change_task_id'), 'task_change', ['task_id'], unique=False)
    op.create_table('task_leader',
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_task_leader_task_id_task'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('task_id', 'name', name=op.f('pk_task_leader'))
    )
    op.create_index(op.f('ix_task_leader_name'), 'task_leader', ['name'], unique=False)
    op.create_table('task_unit',
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("role IN ('lead', 'support')", name=op.f('ck_task_unit_role')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_task_unit_task_id_task'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_task_unit_unit_id_unit')),
    sa.PrimaryKeyConstraint('task_id', 'unit_id', name=op.f('pk_task_unit'))
    )
    op.create_index('ix_task_unit_unit_id_role', 'task_unit', ['unit_id', 'role'], unique=False)
    _create_search_and_guards()


# Full-text search over task title and body. Chinese has no spaces to split
# words on, so SQLite uses FTS5's trigram tokenizer (substring search) kept in
# step with the task table by triggers; PostgreSQL uses a pg_trgm GIN index on
# the same text, which serves ILIKE '%…%'.
SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE task_fts USING fts5(title, body, content='task', content_rowid='id', tokenize='trigram')",
    """CREATE TRIGGER task_fts_ai AFTER INSERT ON task BEGIN
         INSERT INTO task_fts(rowid, title, body) VALUES (new.id, new.title, coalesce(new.body, ''));
       END""",
    """CREATE TRIGGER task_fts_ad AFTER DELETE ON task BEGIN
         INSERT INTO task_fts(task_fts, rowid, title, body) VALUES ('delete', old.id, old.title, coalesce(old.body, ''));
       END""",
    """CREATE TRIGGER task_fts_au AFTER UPDATE OF title, body ON task BEGIN
         INSERT INTO task_fts(task_fts, rowid, title, body) VALUES ('delete', old.id, old.title, coalesce(old.body, ''));
         INSERT INTO task_fts(rowid, title, body) VALUES (new.id, new.title, coalesce(new.body, ''));
       END""",
]
POSTGRESQL_SEARCH = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_task_search ON task USING gin ((title || ' ' || coalesce(body, '')) gin_trgm_ops)",
]

# Progress history is append-only: a correction is a new entry that
# supersedes the old one. The database itself refuses to change or delete one.
SQLITE_GUARDS = [
    """CREATE TRIGGER progress_append_only_update BEFORE UPDATE ON progress BEGIN
         SELECT RAISE(ABORT, 'progress entries are append-only; add a correction instead');
       END""",
    """CREATE TRIGGER progress_append_only_delete BEFORE DELETE ON progress BEGIN
         SELECT RAISE(ABORT, 'progress entries are append-only; add a correction instead');
       END""",
]
POSTGRESQL_GUARDS = [
    """CREATE FUNCTION progress_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'progress entries are append-only; add a correction instead';
       END $$""",
    """CREATE TRIGGER progress_append_only BEFORE UPDATE OR DELETE ON progress
       FOR EACH ROW EXECUTE FUNCTION progress_append_only()""",
]


def _create_search_and_guards() -> None:
    if op.get_bind().dialect.name == "sqlite":
        statements = SQLITE_SEARCH + SQLITE_GUARDS
    else:
        statements = POSTGRESQL_SEARCH + POSTGRESQL_GUARDS
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE task_fts")
    else:
        op.execute("DROP TRIGGER progress_append_only ON progress")
        op.execute("DROP FUNCTION progress_append_only()")
    # Dropping a table drops its indexes and triggers.
    for table in (
        "task_unit", "task_leader", "task_change", "progress", "milestone", "unit_alias",
        "task", "import_batch", "unit", "setting", "document",
    ):
        op.drop_table(table)
