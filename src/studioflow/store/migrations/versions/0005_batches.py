"""Catalogue batches, their items and events, and brand templates.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.create_table(
        "templates",
        sa.Column("id", sa.String(26), primary_key=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("name_key", sa.String(128), nullable=False),
        sa.Column("manifest", sa.Text, nullable=False),
        sa.Column("source_render_id", sa.String(26), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("name_key", name="uq_templates_name_key"),
    )
    op.create_table(
        "batches",
        sa.Column("id", sa.String(26), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("source", sa.String(300), nullable=True),
        sa.Column("options", sa.Text, nullable=False),
        sa.Column("issues", sa.Text, nullable=False),
        sa.Column("total_rows", sa.Integer, nullable=False),
        sa.Column("total_items", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_batches_status", "batches", ["status"])
    op.create_table(
        "batch_items",
        sa.Column("id", sa.String(26), primary_key=True),
        sa.Column("batch_id", sa.String(26), sa.ForeignKey("batches.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("row", sa.Integer, nullable=False),
        sa.Column("variant", sa.Integer, nullable=False),
        sa.Column("sku", sa.String(128), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("seed", sa.BigInteger, nullable=False),
        sa.Column("manifest", sa.Text, nullable=False),
        sa.Column("prompt", sa.Text, nullable=True),
        sa.Column("translator", sa.String(40), nullable=True),
        sa.Column("render_id", sa.String(26), nullable=True),
        sa.Column("job_id", sa.String(26), nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("batch_id", "row", "variant", name="uq_batch_items_row_variant"),
    )
    op.create_index("ix_batch_items_job_id", "batch_items", ["job_id"])
    op.create_index("ix_batch_items_batch_status", "batch_items", ["batch_id", "status"])
    op.create_table(
        "batch_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  primary_key=True, autoincrement=True),
        sa.Column("batch_id", sa.String(26), sa.ForeignKey("batches.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("type", sa.String(24), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_batch_events_batch_id", "batch_events", ["batch_id"])


def downgrade() -> None:
    op.drop_index("ix_batch_events_batch_id", "batch_events")
    op.drop_table("batch_events")
    op.drop_index("ix_batch_items_batch_status", "batch_items")
    op.drop_index("ix_batch_items_job_id", "batch_items")
    op.drop_table("batch_items")
    op.drop_index("ix_batches_status", "batches")
    op.drop_table("batches")
    op.drop_table("templates")
