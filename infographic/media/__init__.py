"""Media that templates place beside text: bundled icons, QR codes and photos/logos.

Each module here holds the logic and is usable from Python; ``infographic/blocks/pictures.py``
exposes them to templates as ``icon(...)``, ``qr(...)`` and ``image(...)``.
"""
