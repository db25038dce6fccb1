"""盯报表: which towns, villages and departments have not reported in the period they should."""
