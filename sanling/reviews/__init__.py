"""一月一讲评: the monthly review of towns and departments, with notes, exported for the meeting."""
