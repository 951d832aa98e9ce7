"""prospect touch intervals

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 09:00:00.000000

Each prospect may keep its own ideal and maximum days between touches; NULL (every existing
prospect) follows the settings default, so upgrading changes nobody's cadence.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("prospects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("touch_ideal_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("touch_max_days", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("prospects", schema=None) as batch_op:
        batch_op.drop_column("touch_max_days")
        batch_op.drop_column("touch_ideal_days")
