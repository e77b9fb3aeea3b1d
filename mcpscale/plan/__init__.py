"""Pure planning logic: roadmap, gates, budget, ROI, risks, and their composition."""
