"""Displays: matplotlib visualisations of operating points (imported lazily)."""
