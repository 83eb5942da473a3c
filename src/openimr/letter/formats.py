"""Letter formats and their templates (kept apart from the renderer so the CLI starts fast)."""

# pdf is the html template laid out in pages (render.render_pdf)
FORMATS = {"text": "letter.txt.j2", "md": "letter.md.j2", "html": "letter.html.j2", "pdf": "letter.html.j2"}
