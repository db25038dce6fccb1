"""Targets (目标): the target 达标率 and other figures per year, region and group, inherited down the tree."""
