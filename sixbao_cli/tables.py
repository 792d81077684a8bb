"""SQLAlchemy Core mirror of models.py. GENERATED: do not edit.

Regenerate with ``python -m sixbao_cli.devtools tables``; see devtools.py for why it exists.
"""

from sqlalchemy import (
    BigInteger, Boolean, CheckConstraint, Column, Date, Float, ForeignKeyConstraint, Index,
    Integer, MetaData, PrimaryKeyConstraint, String, Table, Text, UniqueConstraint, text,
)

from sixbao_cli.sqltypes import UtcDateTime

# Every constraint carries the name models.py's naming convention gave it.
metadata = MetaData()

document = Table(
    'document',
    metadata,
    Column('id', Integer(), nullable=False),
    Column('title', Text(), nullable=False),
    Column('doc_number', String(), nullable=True),
    Column('issuer', String(), nullable=True),
    Column('issue_date', Date(), nullable=True),
    Column('level', String(), nullable=True),
    Column('year', Integer(), nullable=True),
    Column('source_name', String(), nullable=True),
    Column('checksum', String(), nullable=True),
    Column('created_at', UtcDateTime(), nullable=False),
    CheckConstraint("level IN ('province', 'city', 'county', 'district', 'other')", name='ck_document_level'),
    PrimaryKeyConstraint(*['id'], name='pk_document'),
    UniqueConstraint(*['checksum'], name='uq_document_checksum'),
)

kept_fact = Table(
    'kept_fact',
    metadata,
    Column('task_id', Integer(), nullable=False),
    Column('status', String(), nullable=False),
    Column('percent', Float(), nullable=True),
    Column('value', Float(), nullable=True),
    Column('last_lead', Date(), nullable=True),
    Column('last_report', Date(), nullable=True),
    Column('done_on', Date(), nullable=True),
    Column('next_due', Date(), nullable=True),
    Column('next_pct', Float(), nullable=True),
    Column('prev_due', Date(), nullable=True),
    Column('prev_pct', Float(), nullable=True),
    PrimaryKeyConstraint(*['task_id'], name='pk_kept_fact'),
)

kept_fact_mark = Table(
    'kept_fact_mark',
    metadata,
    Column('id', Integer(), nullable=False),
    Column('day', Date(), nullable=False),
    Column('version', String(), nullable=False),
    Column('read_at', UtcDateTime(), nullable=False),
    Column('progress_id', Integer(), nullable=False),
    Column('task_id', Integer(), nullable=False),
    Column('change_id', Integer(), nullable=False),
    Column('unit_history_id', Integer(), nullable=False),
    Column('leader_history_id', Integer(), nullable=False),
    Column('undone_batches', Integer(), nullable=False),
    Column('undone_id_sum', BigInteger(), nullable=False),
    Column('xun_from', Integer(), nullable=True),
    Column('xun_to', Integer(), nullable=True),
    PrimaryKeyConstraint(*['id'], name='pk_kept_fact_mark'),
)

kept_unit_xun = Table(
    'kept_unit_xun',
    metadata,
    Column('unit_id', Integer(), nullable=False),
    Column('role', String(), nullable=False),
    Column('xun', Integer(), nullable=False),
    Column('n', Integer(), nullable=False),
    PrimaryKeyConstraint(*['unit_id', 'role', 'xun'], name='pk_kept_unit_xun'),
)

setting = Table(
    'setting',
    metadata,
    Column('key', String(), nullable=False),
    Column('value', Text(), nullable=False),
    PrimaryKeyConstraint(*['key'], name='pk_setting'),
)

unit = Table(
    'unit',
    metadata,
    Column('id', Integer(), nullable=False),
    Column('name', String(), nullable=False),
    Column('parent_id', Integer(), nullable=True),
    Column('region', String(), nullable=True),
    Column('created_at', UtcDateTime(), nullable=False),
    ForeignKeyConstraint(['parent_id'], ['unit.id'], name='fk_unit_parent_id_unit', ondelete=None),
    PrimaryKeyConstraint(*['id'], name='pk_unit'),
    UniqueConstraint(*['name'], name='uq_unit_name'),
)

verdict_mark = Table(
    'verdict_mark',
    metadata,
    Column('id', Integer(), nullable=False),
    Column('progress_id', Integer(), nullable=False),
    Column('task_id', Integer(), nullable=False),
    Column('change_id', Integer(), nullable=False),
    Column('unit_history_id', Integer(), nullable=False),
    Column('leader_history_id', Integer(), nullable=False),
    Column('undone_batches', Integer(), nullable=False),
    Column('undone_id_sum', BigInteger(), nullable=False),
    PrimaryKeyConstraint(*['id'], name='pk_verdict_mark'),
)

xun_verdict = Table(
    'xun_verdict',
    metadata,
    Column('checkpoint', Date(), nullable=False),
    Column('rules_key', String(), nullable=False),
    Column('task_id', Integer(), nullable=False),
    Column('red', Boolean(), nullable=False),
    PrimaryKeyConstraint(*['checkpoint', 'rules_key', 'task_id'], name='pk_xun_verdict'),
)

document_context = Table(
    'document_context',
    metadata,
    Column('id', Integer(), nullable=False),
    Column('document_id', Integer(), nullable=False),
    Column('annex', Integer(), nullable=True),
    Column('heading', Text(), nullable=False),
    Column('body', Text(), nullable=False),
    Column('position', Integer(), nullable=False),
    ForeignKeyConstraint(['document_id'], ['document.id'], name='fk_document_context_document_id_document', ondelete='CASCADE'),
    PrimaryKeyConstraint(*['id'], name='pk_document_context'),
    Index('ix_document_context_document_id', *['document_id'], unique=False),
)

import_batch = Table(
    'import_batch',
    metadata,
    Column('id', Integer(), nullable=False),
    Column('kind', String(), nullable=False),
    Column('file_name', String(), nullable=False),
    Column('checksum', String(), nullable=False),
    Column('unit_id', Integer(), nullable=True),
    Column('row_count', Integer(), nullable=False),
    Column('created_at', UtcDateTime(), nullable=False),
    Column('undone_at', UtcDateTime(), nullable=True),
    Column('read_options', String(), nullable=True),
    ForeignKeyConstraint(['unit_id'], ['unit.id'], name='fk_import_batch_unit_id_unit', ondelete=None),
    PrimaryKeyConstraint(*['id'], name='pk_import_batch'),
    Index('ix_import_batch_checksum', *['checksum'], unique=False),
)

task = Table(
    'task',
    metadata,
    Column('id', Integer(), nullable=False),
    Column('code', String(), nullable=False),
    Column('category', String(), nullable=False),
    Column('document_id', Integer(), nullable=True),
    Column('annex', String(), nullable=True),
    Column('section', String(), nullable=True),
    Column('number', String(), nullable=True),
    Column('parent_id', Integer(), nullable=True),
    Column('title', Text(), nullable=False),
    Column('body', Text(), nullable=True),
    Column('start_date', Date(), nullable=False),
    Column('deadline', Date(), nullable=True),
    Column('deadline_text', String(), nullable=True),
    Column('target_metric', String(), nullable=True),
    Column('target_value', Float(), nullable=True),
    Column('target_unit', String(), nullable=True),
    Column('target_comparator', String(), nullable=True),
    Column('status', String(), nullable=False),
    Column('source_key', String(), nullable=True),
    Column('position', Integer(), nullable=True),
    Column('closed_at', UtcDateTime(), nullable=True),
    Column('closed_note', Text(), nullable=True),
    Column('created_at', UtcDateTime(), nullable=False),
    Column('updated_at', UtcDateTime(), nullable=False),
    CheckConstraint("status IN ('not_started', 'in_progress', 'completed', 'closed', 'suspended')", name='ck_task_status'),
    CheckConstraint("target_comparator IN ('>=', '<=', '=')", name='ck_task_target_comparator'),
    ForeignKeyConstraint(['document_id'], ['document.id'], name='fk_task_document_id_document', ondelete=None),
    ForeignKeyConstraint(['parent_id'], ['task.id'], name='fk_task_parent_id_task', ondelete=None),
    PrimaryKeyConstraint(*['id'], name='pk_task'),
    UniqueConstraint(*['code'], name='uq_task_code'),
    Index('ix_task_category', *['category'], unique=False),
    Index('ix_task_deadline', *['deadline'], unique=False),
    Index('ix_task_document_id', *['document_id'], unique=False),
    Index('ix_task_parent_id', *['parent_id'], unique=False, sqlite_where=text('parent_id IS NOT NULL'), postgresql_where=text('parent_id IS NOT NULL')),
    Index('ix_task_status', *['status'], unique=False),
    Index('uq_task_document_id_source_key', *['document_id', 'source_key'], unique=True),
)

unit_alias = Table(
    'unit_alias',
    metadata,
    Column('alias', String(), nullable=False),
    Column('unit_id', Integer(), nullable=False),
    ForeignKeyConstraint(['unit_id'], ['unit.id'], name='fk_unit_alias_unit_id_unit', ondelete='CASCADE'),
    PrimaryKeyConstraint(*['alias'], name='pk_unit_alias'),
    Index('ix_unit_alias_unit_id', *['unit_id'], unique=False),
)

milestone = Table(
    'milestone',
    metadata,
    Column('id', Integer(), nullable=False),
    Column('task_id', Integer(), nullable=False),
    Column('due_date', Date(), nullable=False),
    Column('expected_percent', Float(), nullable=True),
    Column('expected_value', Float(), nullable=True),
    Column('note', String(), nullable=True),
    CheckConstraint('expected_percent IS NULL OR (expected_percent >= 0 AND expected_percent <= 100)', name='ck_milestone_percent'),
    ForeignKeyConstraint(['task_id'], ['task.id'], name='fk_milestone_task_id_task', ondelete='CASCADE'),
    PrimaryKeyConstraint(*['id'], name='pk_milestone'),
    UniqueConstraint(*['task_id', 'due_date'], name='uq_milestone_task_id_due_date'),
)

progress = Table(
    'progress',
    metadata,
    Column('id', Integer(), nullable=False),
    Column('task_id', Integer(), nullable=False),
    Column('unit_id', Integer(), nullable=False),
    Column('report_date', Date(), nullable=False),
    Column('percent', Float(), nullable=True),
    Column('value', Float(), nullable=True),
    Column('note', Text(), nullable=True),
    Column('problems', Text(), nullable=True),
    Column('next_steps', Text(), nullable=True),
    Column('reporter', String(), nullable=True),
    Column('source', String(), nullable=False),
    Column('batch_id', Integer(), nullable=True),
    Column('supersedes_id', Integer(), nullable=True),
    Column('recorded_at', UtcDateTime(), nullable=False),
    CheckConstraint('percent IS NOT NULL OR value IS NOT NULL', name='ck_progress_measure'),
    CheckConstraint('percent IS NULL OR (percent >= 0 AND percent <= 100)', name='ck_progress_percent'),
    CheckConstraint("source IN ('manual', 'import')", name='ck_progress_source'),
    ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name='fk_progress_batch_id_import_batch', ondelete=None),
    ForeignKeyConstraint(['supersedes_id'], ['progress.id'], name='fk_progress_supersedes_id_progress', ondelete=None),
    ForeignKeyConstraint(['task_id'], ['task.id'], name='fk_progress_task_id_task', ondelete=None),
    ForeignKeyConstraint(['unit_id'], ['unit.id'], name='fk_progress_unit_id_unit', ondelete=None),
    PrimaryKeyConstraint(*['id'], name='pk_progress'),
    UniqueConstraint(*['supersedes_id'], name='uq_progress_supersedes_id'),
    Index('ix_progress_batch_id', *['batch_id'], unique=False, sqlite_where=text('batch_id IS NOT NULL'), postgresql_where=text('batch_id IS NOT NULL')),
    Index('ix_progress_recorded_at', *['recorded_at'], unique=False),
    Index('ix_progress_report_date_id', *['report_date', 'id'], unique=False),
    Index('ix_progress_task_id_report_date', *['task_id', 'report_date'], unique=False),
    Index('ix_progress_unit_id_report_date', *['unit_id', 'report_date'], unique=False),
)

task_change = Table(
    'task_change',
    metadata,
    Column('id', Integer(), nullable=False),
    Column('task_id', Integer(), nullable=False),
    Column('field', String(), nullable=False),
    Column('old_value', Text(), nullable=True),
    Column('new_value', Text(), nullable=True),
    Column('reason', Text(), nullable=True),
    Column('changed_at', UtcDateTime(), nullable=False),
    ForeignKeyConstraint(['task_id'], ['task.id'], name='fk_task_change_task_id_task', ondelete='CASCADE'),
    PrimaryKeyConstraint(*['id'], name='pk_task_change'),
    Index('ix_task_change_task_id_field_changed_at', *['task_id', 'field', 'changed_at'], unique=False),
)

task_leader = Table(
    'task_leader',
    metadata,
    Column('task_id', Integer(), nullable=False),
    Column('name', String(), nullable=False),
    Column('position', Integer(), nullable=False),
    ForeignKeyConstraint(['task_id'], ['task.id'], name='fk_task_leader_task_id_task', ondelete='CASCADE'),
    PrimaryKeyConstraint(*['task_id', 'name'], name='pk_task_leader'),
    Index('ix_task_leader_name', *['name'], unique=False),
)

task_leader_history = Table(
    'task_leader_history',
    metadata,
    Column('id', Integer(), nullable=False),
    Column('task_id', Integer(), nullable=False),
    Column('name', String(), nullable=True),
    Column('position', Integer(), nullable=True),
    Column('replaced_at', UtcDateTime(), nullable=False),
    ForeignKeyConstraint(['task_id'], ['task.id'], name='fk_task_leader_history_task_id_task', ondelete='CASCADE'),
    PrimaryKeyConstraint(*['id'], name='pk_task_leader_history'),
    Index('ix_task_leader_history_replaced_at', *['replaced_at'], unique=False),
    Index('ix_task_leader_history_task_id_replaced_at', *['task_id', 'replaced_at'], unique=False),
)

task_target = Table(
    'task_target',
    metadata,
    Column('task_id', Integer(), nullable=False),
    Column('position', Integer(), nullable=False),
    Column('metric', String(), nullable=False),
    Column('comparator', String(), nullable=False),
    Column('value', Float(), nullable=False),
    Column('unit', String(), nullable=True),
    CheckConstraint("comparator IN ('>=', '<=', '=')", name='ck_task_target_comparator'),
    ForeignKeyConstraint(['task_id'], ['task.id'], name='fk_task_target_task_id_task', ondelete='CASCADE'),
    PrimaryKeyConstraint(*['task_id', 'position'], name='pk_task_target'),
)

task_unit = Table(
    'task_unit',
    metadata,
    Column('task_id', Integer(), nullable=False),
    Column('unit_id', Integer(), nullable=False),
    Column('role', String(), nullable=False),
    Column('position', Integer(), nullable=False),
    CheckConstraint("role IN ('lead', 'support')", name='ck_task_unit_role'),
    ForeignKeyConstraint(['task_id'], ['task.id'], name='fk_task_unit_task_id_task', ondelete='CASCADE'),
    ForeignKeyConstraint(['unit_id'], ['unit.id'], name='fk_task_unit_unit_id_unit', ondelete=None),
    PrimaryKeyConstraint(*['task_id', 'unit_id'], name='pk_task_unit'),
    Index('ix_task_unit_unit_id_role_task_id', *['unit_id', 'role', 'task_id'], unique=False),
)

task_unit_history = Table(
    'task_unit_history',
    metadata,
    Column('id', Integer(), nullable=False),
    Column('task_id', Integer(), nullable=False),
    Column('unit_id', Integer(), nullable=True),
    Column('role', String(), nullable=True),
    Column('position', Integer(), nullable=True),
    Column('replaced_at', UtcDateTime(), nullable=False),
    CheckConstraint("role IN ('lead', 'support')", name='ck_task_unit_history_role'),
    ForeignKeyConstraint(['task_id'], ['task.id'], name='fk_task_unit_history_task_id_task', ondelete='CASCADE'),
    ForeignKeyConstraint(['unit_id'], ['unit.id'], name='fk_task_unit_history_unit_id_unit', ondelete=None),
    PrimaryKeyConstraint(*['id'], name='pk_task_unit_history'),
    Index('ix_task_unit_history_replaced_at', *['replaced_at'], unique=False),
    Index('ix_task_unit_history_task_id_replaced_at', *['task_id', 'replaced_at'], unique=False),
)
