"""On-site 督查: supervision visits, their findings, and the 四函 ladder of letters they propose."""
