"""Segmentation fitting: preprocessing, K selection, K-Means and the 2-D segment map."""
