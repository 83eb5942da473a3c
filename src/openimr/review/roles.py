"""The roles of the review service's users (kept apart so the CLI can name them without loading the database)."""

ROLES = ("intake", "reviewer", "admin")
