"""Published IMR Final Determination Letters as data: parse, store, count, compare with the engine.

Submodules keep heavy imports (sqlite, matplotlib, the engine) out of the parse path, which must stay
close to bare PDF text extraction in speed.
"""
