"""一周一交办: assignments (交办单) to organisations, their feedback with evidence, and the ledger."""
