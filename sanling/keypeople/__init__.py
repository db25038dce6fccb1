"""重点人群 and their visits."""
