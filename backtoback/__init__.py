"""Shared helpers for the book *Back to Back*.

One module per concern:

- :mod:`backtoback.data` loads a catalogued dataset and validates it (the only way notebooks read data);
- :mod:`backtoback.style` draws charts in the house style and wraps them as captioned figures;
- :mod:`backtoback.toggle` builds switches that work live in Jupyter and in the static book;
- :mod:`backtoback.pipeline` derives tidy CSVs in ``data/`` from the raw extracts in ``data/raw/``;
- :mod:`backtoback.launch` makes the Binder and Colab links and the set-up cell of downloads.
"""
