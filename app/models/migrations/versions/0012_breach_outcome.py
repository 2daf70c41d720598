"""A breach decision says whether confidentiality is breached and with which agencies.

Before this, a decision was free text (`decision`, `agencies_contacted`), and any decision let
a contact through without the family's consent, even one that decided not to share. Now
`breach_decision.outcome` is "shared" or "not shared", and a decision to share names its
agencies in `breach_decision_agency` (kind and name, as a contact names its third party); only
a contact with one of those agencies goes through under it.

Existing decisions are read conservatively, because a wrong "shared" would let information
out without consent while a wrong "not shared" only asks the adviser to record a new decision:

- an old decision is "shared" only when its agencies field names someone (not empty, not
  "none", "n/a" and the like) and its decision text has no word of refusal or doubt ("not",
  "no", "n't", "never", "against", "decline", "refuse", "unless", "if", "may", "might",
  "consider", "whether", "wait", "monitor");
- its agencies are the parts of that field between commas, semicolons, slashes, "and" and line
  ends, each kept as typed (at most 80 characters, else the decision stays "not shared"), with
  a kind read from its words (social care, school, SEN team, educational psychologist,
  health) and "other" when none fits, such as the police;
- everything else is "not shared". Its free text is kept as it was, and contacts already
  recorded under it keep their link to it: they were made, and the record says so.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

DOUBT = re.compile(r"\b(not|no|never|against|declined?|refused?|unless|if|may|might|consider\w*"
                   r"|whether|wait\w*|monitor\w*)\b|n't\b|n’t\b", re.IGNORECASE)
NOBODY = {"", "none", "n/a", "na", "nil", "no one", "noone", "nobody", "-", "--", "not yet",
          "none yet", "tbc"}
SEPARATORS = re.compile(r"[,;/\n]|\band\b|&", re.IGNORECASE)
# The first kind whose words appear names the agency's kind; "other" (the police, a charity)
# when none does.
KINDS = (
    ("educational psychologist", re.compile(r"psycholog", re.IGNORECASE)),
    ("SEN team", re.compile(r"\bSEN(D)?\b|special educational", re.IGNORECASE)),
    ("social care", re.compile(r"social (care|services|work)|\bMASH\b|children's services"
                               r"|front door", re.IGNORECASE)),
    ("school", re.compile(r"school|academy|college|primary|secondary|infant|junior|nursery"
                          r"|\bDSL\b|head ?teacher|safeguarding lead",
                          re.IGNORECASE)),
    ("health", re.compile(r"health|\bGP\b|nurse|doctor|hospital|\bNHS\b|CAMHS|midwi",
                          re.IGNORECASE)),
)
NAME_MAX = 80


def agencies_of(decision: str, agencies: str) -> list[tuple[str, str]] | None:
    """The (kind, name) pairs an old decision clearly shared with, or None: not shared."""
    if DOUBT.search(decision or "") or " ".join((agencies or "").split()).casefold() in NOBODY:
        return None
    found = []
    for part in SEPARATORS.split(agencies):
        name = " ".join(part.split()).strip(" .")
        if name.casefold() in NOBODY:
            continue
        if len(name) > NAME_MAX:
            return None
        kind = next((kind for kind, words in KINDS if words.search(name)), "other")
        found.append((kind, name))
    return found or None


def upgrade() -> None:
    op.add_column("breach_decision", sa.Column("outcome", sa.String(12), nullable=False,
                                               server_default="not shared"))
    agency = op.create_table(
        "breach_decision_agency",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("note_id", sa.Integer,
                  sa.ForeignKey("breach_decision.note_id", ondelete="CASCADE"), nullable=False),
        sa.Column("party_kind", sa.String(24), nullable=False),
        sa.Column("party", sa.String(80), nullable=False),
    )
    op.create_index("ix_breach_decision_agency_note_id", "breach_decision_agency", ["note_id"])
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT note_id, decision, agencies_contacted FROM breach_decision")).all()
    for note_id, decision, agencies in rows:
        shared = agencies_of(decision, agencies)
        if shared is None:
            continue
        connection.execute(sa.text("UPDATE breach_decision SET outcome = 'shared' "
                                   "WHERE note_id = :note_id"), {"note_id": note_id})
        op.bulk_insert(agency, [{"note_id": note_id, "party_kind": kind, "party": name}
                                for kind, name in shared])


def downgrade() -> None:
    op.drop_index("ix_breach_decision_agency_note_id", "breach_decision_agency")
    op.drop_table("breach_decision_agency")
    op.execute("ALTER TABLE breach_decision DROP COLUMN outcome")
