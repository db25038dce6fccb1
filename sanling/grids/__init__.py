"""网格与岗位 (grids, buildings, posts, households)."""
