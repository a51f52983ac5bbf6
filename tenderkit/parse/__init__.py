"""Reading vendor returns (xlsx, PDF, docx) back into structured responses.

Low level (``safety``, ``detect``, ``xlsx``, ``pdf``, ``docx``) turns a file into grids of cells with their
location; the meaning (which question a row answers, what « Oui sauf… » means) is put on them by
``match`` and ``normalize``; ``parser`` ties them together for one file, ``batch`` for many.
"""
