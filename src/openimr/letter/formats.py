"""Letter formats and their templates (kept apart from the renderer so the CLI starts fast)."""

FORMATS = {"text": "letter.txt.j2", "md": "letter.md.j2", "html": "letter.html.j2"}
