"""三零播报, 月度小结 and 季度分析 as Word and PDF, their distribution and read receipts."""
