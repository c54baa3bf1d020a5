"""Renders and their images.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "renders",
        sa.Column("id", sa.String(26), primary_key=True),
        sa.Column("parent_id", sa.String(26),
                  sa.ForeignKey("renders.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("prompt", sa.Text, nullable=True),
        sa.Column("instruction", sa.Text, nullable=True),
        sa.Column("translator", sa.String(40), nullable=True),
        sa.Column("manifest", sa.Text, nullable=False),
        sa.Column("schema_version", sa.String(16), nullable=False),
        sa.Column("engine", sa.String(40), nullable=False),
        sa.Column("model", sa.String(1000), nullable=True),
        sa.Column("model_revision", sa.String(200), nullable=True),
        sa.Column("seed", sa.BigInteger, nullable=False),
        sa.Column("width", sa.Integer, nullable=False),
        sa.Column("height", sa.Integer, nullable=False),
        sa.Column("duration_ms", sa.Float, nullable=False),
        sa.Column("engine_meta", sa.Text, nullable=False),
        sa.Column("sku", sa.String(128), nullable=True),
        sa.Column("search_text", sa.Text, nullable=False),
        sa.Column("job_id", sa.String(26), nullable=True),
        sa.UniqueConstraint("job_id", name="uq_renders_job_id"),
    )
    op.create_index("ix_renders_parent_id", "renders", ["parent_id"])
    op.create_index("ix_renders_created_at", "renders", ["created_at"])
    op.create_index("ix_renders_sku", "renders", ["sku"])
    op.create_table(
        "render_images",
        sa.Column("render_id", sa.String(26),
                  sa.ForeignKey("renders.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("idx", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(500), nullable=False),
        sa.Column("width", sa.Integer, nullable=False),
        sa.Column("height", sa.Integer, nullable=False),
        sa.Column("bit_depth", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "pending_files",
        sa.Column("key", sa.String(500), primary_key=True),
        sa.Column("render_id", sa.String(26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_pending_files_render_id", "pending_files", ["render_id"])


def downgrade() -> None:
    op.drop_index("ix_pending_files_render_id", "pending_files")
    op.drop_table("pending_files")
    op.drop_table("render_images")
    op.drop_index("ix_renders_sku", "renders")
    op.drop_index("ix_renders_created_at", "renders")
    op.drop_index("ix_renders_parent_id", "renders")
    op.drop_table("renders")
