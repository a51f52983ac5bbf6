"""tenderkit — cybersecurity in French hospital tenders for medical devices and clinical software.

Pipeline: ``library`` (clause_library/ data) → ``tender`` (workspace, selection) → ``render``
(CCTP docx, questionnaire xlsx) → ``parse`` (vendor returns) → ``review`` (scores, grid, letters).
"""

__version__ = "0.1.0"
