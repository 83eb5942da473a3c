"""openimr: California workers' compensation Independent Medical Review, case file to letter."""

__version__ = "0.1.0"
