"""四色预警: warning rules as versioned data, each subject's and region's colour with its reasons."""
