"""Evaluating parsed responses: points, flags, clause compliance, missing deliverables, ranking."""
