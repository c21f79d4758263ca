"""Analyses over the model: spatial indicators, the green standard, classification into styles."""
