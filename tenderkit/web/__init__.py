"""`tenderkit ui`: a local web front end on the same core as the CLI (nothing is computed differently).

``app`` assembles the Starlette application, ``routes`` holds the pages, ``security`` the token, CSRF and
header checks, ``paths`` the confinement of request paths to the served folder, ``uploads`` the storing of
vendor returns, ``jobs`` the background review with its progress, ``selection_edit`` the clause overrides.
"""
